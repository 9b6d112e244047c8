using Microsoft.Extensions.Options;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// Removes two of OpenIddict's sign-in handlers that act only for flows this server does not allow: redeeming the
/// authorization code, device code or refresh token a request presented (<see cref="OpenIddictServerHandlers.RedeemTokenEntry"/>),
/// and attaching an ad-hoc authorization to a sign-in that issues one of those (<see cref="OpenIddictServerHandlers.AttachAuthorization"/>).
/// Both are scoped and pass their filters with storage on, so every client_credentials token request built a token or an
/// authorization manager, each with its own entity cache (a MemoryCache), only for the handler to return at its first
/// line. A handler stays as soon as a flow that needs it is allowed: nothing is removed behind a grant type someone enables.
/// </summary>
public sealed class RemoveHandlersOfDisallowedFlows : IPostConfigureOptions<OpenIddictServerOptions>
{
    /// <summary>The grant types whose tokens are redeemed, or whose sign-ins issue codes or refresh tokens.</summary>
    public static readonly string[] RedeemingGrantTypes = [GrantTypes.AuthorizationCode, GrantTypes.DeviceCode, GrantTypes.RefreshToken, GrantTypes.Implicit];

    public void PostConfigure(string? name, OpenIddictServerOptions options)
    {
        if (RedeemingGrantTypes.Any(options.GrantTypes.Contains) || options.EndUserVerificationEndpointUris.Count > 0 ||
            options.DeviceAuthorizationEndpointUris.Count > 0 || options.AuthorizationEndpointUris.Count > 0)
        {
            return;
        }

        options.Handlers.RemoveAll(descriptor =>
            descriptor.ServiceDescriptor.ServiceType == typeof(OpenIddictServerHandlers.RedeemTokenEntry) ||
            descriptor.ServiceDescriptor.ServiceType == typeof(OpenIddictServerHandlers.AttachAuthorization));
    }
}
