using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// Writes the row of a client_credentials access token (<see cref="TokenStorage.Database"/>) straight to
/// <see cref="TokenRowWriter"/>, instead of OpenIddict's <c>CreateTokenEntry</c> going through its token manager and
/// EF Core store. The row is the one OpenIddict writes (same columns and values: id, client, status <c>valid</c>,
/// subject, type, creation and expiration dates), so introspection, revocation and pruning read it as their own; what
/// is skipped is the manager's generic work — descriptor copy, entity validation, and the store's lookup of the client
/// entity in a request DbContext — which cost about a fifth of a token's CPU in a profile (docs/benchmark-2026-12-02.md).
/// Any other token entry (none in a client_credentials server today) still goes through OpenIddict's handler.
/// </summary>
public sealed class StoreAccessTokenRow(IOpenIddictApplicationManager applications, TokenRowWriter writer)
    : IOpenIddictServerHandler<GenerateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireTokenEntryCreated>()
            .UseScopedHandler<StoreAccessTokenRow>()
            .SetOrder(OpenIddictServerHandlers.Protection.CreateTokenEntry.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(GenerateTokenContext context)
    {
        if (context.TokenType != TokenTypeIdentifiers.AccessToken || context.IsReferenceToken || context.PersistTokenPayload ||
            string.IsNullOrEmpty(context.ClientId) || !string.IsNullOrEmpty(context.Principal.GetAuthorizationId()))
        {
            return; // Not a client_credentials access token: OpenIddict's CreateTokenEntry stores it.
        }

        var application = await applications.FindByClientIdAsync(context.ClientId, context.CancellationToken) ??
            throw new InvalidOperationException("The authenticated client is no longer registered.");
        var created = context.Principal.GetCreationDate();
        var row = new OpenIddictEntityFrameworkCoreToken
        {
            // Time-ordered (UUID version 7, stamped with the token's creation time), so each insert lands at the end of
            // the key's index instead of on a random page of it: with random ids and a table of about a hundred thousand
            // live tokens, most inserts read and rewrote a cold index page (+21 % token rate, A/B). The id is no
            // secret: it is only ever taken from a signed token; 74 random bits keep ids unique.
            Id = Guid.CreateVersion7(created ?? context.Options.TimeProvider.GetUtcNow()).ToString(),
            CreationDate = created?.UtcDateTime,
            ExpirationDate = context.Principal.GetExpirationDate()?.UtcDateTime,
            Status = Statuses.Valid,
            Subject = context.Principal.GetClaim(Claims.Subject),
            Type = TokenTypeIdentifiers.AccessToken,
        };

        await writer.StoreAsync(row, await applications.GetIdAsync(application, context.CancellationToken), context.CancellationToken);
        context.Principal.SetTokenId(row.Id);
        context.CreateTokenEntry = false; // Stored: OpenIddict's own handler must not add a second row.
    }
}
