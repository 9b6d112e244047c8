using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// Answers a validated <c>client_credentials</c> request: the client is the subject; it gets the scopes it
/// asked for (OpenIddict has already checked them against its permissions) or, when it asked for none, all
/// its registered scopes; the audiences are the resources of those scopes. OpenIddict then mints the JWT and
/// binds it to the client certificate (<c>cnf.x5t#S256</c>).
/// </summary>
public sealed class IssueClientCredentialsToken(IOpenIddictApplicationManager applications, ScopeResourceCatalog scopes)
    : IOpenIddictServerHandler<HandleTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleTokenRequestContext>()
            .UseScopedHandler<IssueClientCredentialsToken>()
            .SetOrder(OpenIddictServerHandlers.Exchange.AttachPrincipal.Descriptor.Order + 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(HandleTokenRequestContext context)
    {
        if (!context.Request.IsClientCredentialsGrantType() || context.ClientId is not { Length: > 0 } clientId)
        {
            return;
        }

        var application = await applications.FindByClientIdAsync(clientId)
            ?? throw new InvalidOperationException("The authenticated client disappeared during the request.");

        var granted = context.Request.GetScopes();
        if (granted.IsDefaultOrEmpty)
        {
            granted = (await applications.GetPermissionsAsync(application))
                .Where(permission => permission.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal))
                .Select(permission => permission[Permissions.Prefixes.Scope.Length..])
                .ToImmutableArray();
        }

        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, clientId);
        identity.SetScopes(granted);
        identity.SetResources(await scopes.ResourcesOfAsync(granted, CancellationToken.None));
        // No destinations: OpenIddict always puts the subject in the access token and builds its scope and audience
        // from the private scope/resource claims. Setting them serialized a JSON array into every claim, per request.
        context.SignIn(new ClaimsPrincipal(identity));
    }
}
