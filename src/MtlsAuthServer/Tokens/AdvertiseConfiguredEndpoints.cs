using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// Discovery (RFC 8414) advertises only URLs from configuration, never ones built from the request's Host: a client
/// sending <c>Host: attacker.example</c>, or a proxy that doesn't forward Host, must not change where resource servers
/// fetch keys or clients send credentials. The OAuth endpoints are advertised at the mTLS base
/// (<c>Listeners:MtlsPublicBaseUrl</c>), the only place they are served and a client can authenticate; the JWKS
/// at the issuer (<c>Tokens:Issuer</c>).
/// </summary>
public sealed class AdvertiseConfiguredEndpoints(ServerUrls urls) : IOpenIddictServerHandler<HandleConfigurationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleConfigurationRequestContext>()
            .UseSingletonHandler<AdvertiseConfiguredEndpoints>()
            .SetOrder(OpenIddictServerHandlers.Discovery.AttachEndpoints.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(HandleConfigurationRequestContext context)
    {
        var options = context.Options;
        context.Issuer = urls.Issuer;
        context.JsonWebKeySetEndpoint = At(urls.Issuer, options.JsonWebKeySetEndpointUris);
        context.TokenEndpoint = At(urls.MtlsBase, options.TokenEndpointUris);
        context.IntrospectionEndpoint = At(urls.MtlsBase, options.IntrospectionEndpointUris);
        context.RevocationEndpoint = At(urls.MtlsBase, options.RevocationEndpointUris);
        return ValueTask.CompletedTask;
    }

    private static Uri? At(Uri baseUri, List<Uri> endpoints) =>
        endpoints.FirstOrDefault() is { } endpoint ? endpoint.IsAbsoluteUri ? endpoint : new Uri(baseUri, endpoint.OriginalString.TrimStart('/')) : null;
}
