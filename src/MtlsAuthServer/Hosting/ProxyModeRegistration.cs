using Microsoft.Extensions.Options;
using MtlsAuthServer.CertificateForwarding;

namespace MtlsAuthServer.Hosting;

public static class ProxyModeRegistration
{
    /// <summary>
    /// Section <c>Proxy</c>: passthrough (default) or behind a TLS-terminating proxy that forwards the client
    /// certificate (the shared CertificateForwarding library), plus the token server's own rule that discovery must then
    /// advertise the proxy's URLs.
    /// </summary>
    public static WebApplicationBuilder AddProxyMode(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IForwardingListenerScope, MtlsListenerForwarding>();
        builder.AddForwardedClientCertificates();
        builder.Services.AddSingleton<IValidateOptions<ProxyOptions>, ExternalUrlsBehindProxyValidator>();
        return builder;
    }
}
