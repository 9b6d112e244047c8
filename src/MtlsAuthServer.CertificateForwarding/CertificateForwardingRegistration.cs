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
    /// One middleware per application, so one (unnamed) <see cref="ProxyOptions"/>, as ASP.NET Core's own
    /// certificate-forwarding middleware keeps its options.
    /// </summary>
    /// <param name="builder">The application's host builder.</param>
    /// <param name="configure">Runs after the <c>Proxy</c> section is bound (e.g. trusted proxies known only in code); validated the same way.</param>
    public static TBuilder AddForwardedClientCertificates<TBuilder>(this TBuilder builder, Action<ProxyOptions>? configure = null)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<ProxyOptions>().BindConfiguration(ProxyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddSingleton<IValidateOptions<ProxyOptions>, ProxyOptionsValidator>();
        services.AddSingleton<TrustedProxyPolicy>();
        services.TryAddSingleton<IForwardingListenerScope, EveryListener>();
        services.AddSingleton(provider => ForwardedCertificateParsers.Create(provider.GetRequiredService<IOptions<ProxyOptions>>().Value));
        services.AddSingleton<ForwardingMetrics>();
        services.AddTransient<IStartupFilter, ForwardedClientCertificateStartupFilter>();
        return builder;
    }
}
