using MtlsAuthServer.Clients;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// Introspection answers <c>active: false</c> for a token whose client no longer exists or is disabled (deleted through
/// RFC 7592, disabled by an operator, dropped from configuration). Revoking the client's stored tokens at deletion
/// covers the tokens this instance knows of; this covers the rest: tokens another instance issued in the moments
/// before it saw the deletion (its registration snapshot is up to <see cref="RegisteredClientSnapshots.Lifetime"/>
/// old), and self-contained tokens, which have no row to revoke. The lookup is the request's registration snapshot.
/// </summary>
public sealed class RefuseTokensOfDisabledClients(IOpenIddictApplicationManager applications) : IOpenIddictServerHandler<ValidateIntrospectionRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateIntrospectionRequestContext>()
            .UseScopedHandler<RefuseTokensOfDisabledClients>()
            .SetOrder(OpenIddictServerHandlers.Introspection.ValidateAuthorizedParty.Descriptor.Order + 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateIntrospectionRequestContext context)
    {
        if (context.GenericTokenPrincipal is not { } principal || !principal.HasTokenType(TokenTypeIdentifiers.AccessToken))
        {
            return;
        }

        foreach (var presenter in principal.GetPresenters())
        {
            if (await applications.FindByClientIdAsync(presenter, context.CancellationToken) is not { } application
                || ClientMetadata.FromSettings(await applications.GetSettingsAsync(application, context.CancellationToken)).Disabled)
            {
                context.Reject(error: Errors.InvalidToken, description: "The token is no longer valid.");
                return;
            }
        }
    }
}
