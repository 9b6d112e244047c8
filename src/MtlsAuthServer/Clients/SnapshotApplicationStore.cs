using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Tokens;
using OpenIddict.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace MtlsAuthServer.Clients;

/// <summary>
/// OpenIddict's EF Core application store, except that at the OAuth endpoints a lookup by <c>client_id</c> is answered
/// from <see cref="RegisteredClientSnapshots"/>, once per request, instead of one query per request. The copy is never
/// attached to a context: the access token's row names its client by id (<see cref="StoreAccessTokenRow"/>, docs/adr/0010),
/// so nothing needs it tracked. Everything else (writes, lists, lookups outside client authentication) is OpenIddict's own.
/// </summary>
public sealed class SnapshotApplicationStore(
    IMemoryCache cache,
    IOpenIddictEntityFrameworkCoreContext context,
    IOptionsMonitor<OpenIddictEntityFrameworkCoreOptions> options,
    ClientAuthenticationContext request,
    RegisteredClientSnapshots snapshots)
    : OpenIddictEntityFrameworkCoreApplicationStore(cache, context, options)
{
    public override async ValueTask<OpenIddictEntityFrameworkCoreApplication?> FindByClientIdAsync(string identifier, CancellationToken cancellationToken)
    {
        if (!request.IsClientAuthenticationRequest)
        {
            return await base.FindByClientIdAsync(identifier, cancellationToken);
        }

        if (request.Applications.TryGetValue(identifier, out var known))
        {
            return known;
        }

        var application = await snapshots.GetAsync(
            identifier, () => Context.GetDbContextAsync(cancellationToken), () => base.FindByClientIdAsync(identifier, cancellationToken));
        request.Applications[identifier] = application;
        return application;
    }
}
