using Microsoft.Extensions.Options;
using MtlsAuthServer.Hosting;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MtlsAuthServer.Registration;

/// <summary>
/// Discovery (RFC 8414 §2) names <c>registration_endpoint</c> when dynamic registration is enabled: on the mTLS base
/// from configuration (<c>Listeners:MtlsPublicBaseUrl</c>), the only listener that serves it, never built from Host.
/// </summary>
public sealed class AdvertiseRegistrationEndpoint(IOptions<DynamicRegistrationOptions> options, IOptions<ListenerOptions> listeners)
    : IOpenIddictServerHandler<HandleConfigurationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleConfigurationRequestContext>()
            .UseSingletonHandler<AdvertiseRegistrationEndpoint>()
            .SetOrder(OpenIddictServerHandlers.Discovery.AttachAdditionalMetadata.Descriptor.Order + 600)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(HandleConfigurationRequestContext context)
    {
        if (options.Value.Enabled)
        {
            context.Metadata["registration_endpoint"] = RegistrationEndpoints.EndpointUri(listeners.Value).AbsoluteUri;
        }

        return ValueTask.CompletedTask;
    }
}
