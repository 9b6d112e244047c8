using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Monitoring;
using MtlsAuthServer.Profiles;
using MtlsAuthServer.ServiceDefaults.Tls;

namespace MtlsAuthServer.Hosting;

public static class KestrelListeners
{
    /// <summary>Binds the mTLS, public and management listeners from <see cref="ListenerOptions"/>.</summary>
    public static WebApplicationBuilder AddListeners(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ListenerOptions>().BindConfiguration(ListenerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ListenerOptions>, ListenerOptionsValidator>();
        builder.Services.AddOptions<ServerCertificateOptions>().BindConfiguration(ServerCertificateOptions.Section);
        builder.Services.AddSingleton<ServerCertificateProvider>();
        builder.Services.AddSingleton<MtlsHandshake>();
        builder.Services.AddSingleton<HandshakeMetrics>();
        builder.Services.AddSingleton<Diagnostics.OAuthRequestRefusals>();

        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var services = kestrel.ApplicationServices;
            var settings = services.GetRequiredService<IOptions<ListenerOptions>>().Value;
            var certificates = services.GetRequiredService<ServerCertificateProvider>();
            var handshake = services.GetRequiredService<MtlsHandshake>();
            var handshakes = services.GetRequiredService<HandshakeMetrics>();
            var profile = services.GetRequiredService<IOptions<ServerProfileOptions>>().Value;
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = settings.MaxRequestBodyBytes;

            Listen(kestrel, settings.Mtls, ListenerRole.Mtls, listen => CountHandshakes(listen, handshakes, "mtls", new TlsHandshakeCallbackOptions
            {
                OnConnection = callback => ValueTask.FromResult(handshake.CreateOptions(callback.Connection)),
            }));
            Listen(kestrel, settings.Public, ListenerRole.Public, listen => CountHandshakes(listen, handshakes, "public", new TlsHandshakeCallbackOptions
            {
                OnConnection = _ => ValueTask.FromResult(MtlsHandshake.CreatePublicOptions(certificates, settings, profile)),
            }));
            if (!string.IsNullOrWhiteSpace(settings.Management))
            {
                Listen(kestrel, settings.Management, ListenerRole.Management, listen => listen.Protocols = HttpProtocols.Http1);
            }
        });

        return builder;
    }

    /// <summary>HTTPS with the handshake counters around it (see <see cref="HandshakeMetrics"/>).</summary>
    private static void CountHandshakes(ListenOptions listen, HandshakeMetrics handshakes, string name, TlsHandshakeCallbackOptions tls)
    {
        listen.Use(handshakes.BeforeHandshake(name));
        listen.UseHttps(tls);
        listen.RefuseSuitesOutsideBcp195();
        listen.Use(handshakes.AfterHandshake(name));
    }

    private static void Listen(KestrelServerOptions kestrel, string url, ListenerRole role, Action<ListenOptions> configure)
    {
        var name = role.ToString();
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Port <= 0 && !url.Contains(":0", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{ListenerOptions.Section}:{name}: '{url}' is not an absolute URL with a port.");
        }

        void Configure(ListenOptions listen)
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            ListenerRoles.Tag(listen, role);
            configure(listen);
        }

        switch (uri.Host)
        {
            case "localhost":
                kestrel.ListenLocalhost(uri.Port, Configure);
                break;
            case "*" or "+" or "0.0.0.0":
                kestrel.ListenAnyIP(uri.Port, Configure);
                break;
            default:
                if (!IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address))
                {
                    throw new InvalidDataException($"{ListenerOptions.Section}:{name}: host '{uri.Host}' must be localhost, an IP address or '*'.");
                }

                kestrel.Listen(address, uri.Port, Configure);
                break;
        }
    }
}
