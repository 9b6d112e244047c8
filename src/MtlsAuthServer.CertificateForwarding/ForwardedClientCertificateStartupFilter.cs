using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MtlsAuthServer.CertificateForwarding.Parsing;

namespace MtlsAuthServer.CertificateForwarding;

/// <summary>
/// Puts the forwarding middleware first in the pipeline (before request logging, guards and authentication), so
/// nothing can read the client certificate before it is decided. In passthrough mode nothing is added.
/// </summary>
internal sealed class ForwardedClientCertificateStartupFilter(IOptions<ProxyOptions> options, ILogger<ForwardedClientCertificateMiddleware> logger)
    : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        var settings = options.Value;
        if (settings.Mode == ProxyMode.Forwarded)
        {
            var parser = app.ApplicationServices.GetRequiredService<IForwardedCertificateParser>();
            ForwardingLog.CertificateForwardingEnabled(logger, string.Join(", ", parser.HeaderNames), settings.HeaderFormat,
                string.Join(", ", settings.TrustedProxies), settings.RequiredProxyCertificateThumbprints.Count > 0, settings.AllowDirectClientCertificates);
            app.UseMiddleware<ForwardedClientCertificateMiddleware>();
        }

        next(app);
    };
}
