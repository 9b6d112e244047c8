using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// Makes an active introspection answer about one of our access tokens carry the same RFC 7662 §2.2 fields
/// whichever allowed caller asks. OpenIddict leaves two gaps:
/// <list type="bullet">
/// <item><c>scope</c> is added by its <c>AttachApplicationClaims</c> only when the caller is an audience of the
/// token, so the client the token was issued to (its presenter) is not told the scope it was granted — which the
/// token response already told it (RFC 6749 §5.1).</item>
/// <item><c>token_type</c> is set by its <c>AttachMetadataClaims</c> only when the token has no <c>cnf</c>; ours
/// always have one. RFC 8705 §3 keeps the token type of a certificate-bound token: it is sent with the Bearer
/// scheme, and our token response says <c>"token_type": "Bearer"</c>.</item>
/// </list>
/// Who may see a token is unchanged: OpenIddict's <c>ValidateAuthorizedParty</c> has already answered
/// <c>active: false</c> to a caller that is neither presenter nor audience, and inactive answers never get here.
/// </summary>
public sealed class CompleteIntrospectionAnswer : IOpenIddictServerHandler<HandleIntrospectionRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleIntrospectionRequestContext>()
            .UseSingletonHandler<CompleteIntrospectionAnswer>()
            .SetOrder(OpenIddictServerHandlers.Introspection.AttachApplicationClaims.Descriptor.Order + 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(HandleIntrospectionRequestContext context)
    {
        var principal = context.GenericTokenPrincipal;
        if (principal is null || !principal.HasTokenType(TokenTypeIdentifiers.AccessToken))
        {
            return ValueTask.CompletedTask;
        }

        // The presenter check is explicit rather than "whoever got this far": only the token's own client gains
        // the scope here; audiences already have it from OpenIddict.
        if (context.Request.ClientId is { Length: > 0 } caller && principal.HasPresenter(caller))
        {
            context.Scopes.UnionWith(principal.GetScopes());
        }

        context.TokenType ??= TokenTypes.Bearer;
        return ValueTask.CompletedTask;
    }
}
