using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MtlsAuthServer.CertificateForwarding.Parsing;

namespace MtlsAuthServer.CertificateForwarding;

public static class CertificateForwardingRegistration
{
    /// <summary>
    /// The <c>Proxy</c> section (validated at start-up) and, in Forwarded mode, the middleware that takes the client
    /// certificate from a trusted proxy's header — added first in the pipeline, so this one call is all an application
    /// needs. In passthrough mode (the default) the application keeps the certificate of its own TLS handshake.
    /// </summary>
    public static TBuilder AddForwardedClientCertificates<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        services.AddOptions<ProxyOptions>().BindConfiguration(ProxyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProxyOptions>, ProxyOptionsValidator>();
        services.AddSingleton<TrustedProxyPolicy>();
        services.TryAddSingleton<IForwardingListenerScope, EveryListener>();
        services.AddSingleton(provider => ForwardedCertificateParsers.Create(provider.GetRequiredService<IOptions<ProxyOptions>>().Value));
        services.AddSingleton<ForwardingMetrics>();
        services.AddTransient<IStartupFilter, ForwardedClientCertificateStartupFilter>();
        return builder;
    }
}
