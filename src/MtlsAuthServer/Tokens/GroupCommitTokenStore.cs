using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenIddict.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// OpenIddict's EF Core token store, except that a new token row is written by <see cref="TokenRowWriter"/>, which
/// commits the rows of concurrent requests in one transaction (group commit). <see cref="CreateAsync"/> returns only
/// once the transaction holding the row has committed, so OpenIddict signs and sends no token whose row is not stored,
/// exactly as with its own one-row SaveChanges. Reads, updates (revocation) and deletes are OpenIddict's.
/// </summary>
public sealed class GroupCommitTokenStore(
    IMemoryCache cache,
    IOpenIddictEntityFrameworkCoreContext context,
    IOptionsMonitor<OpenIddictEntityFrameworkCoreOptions> options,
    TokenRowWriter writer)
    : OpenIddictEntityFrameworkCoreTokenStore(cache, context, options)
{
    public override ValueTask CreateAsync(OpenIddictEntityFrameworkCoreToken token, CancellationToken cancellationToken) =>
        new(writer.StoreAsync(token, cancellationToken));
}
