using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Monitoring;
using MtlsAuthServer.Profiles;
using MtlsAuthServer.ServiceDefaults.Hosting;
using MtlsAuthServer.ServiceDefaults.Tls;

namespace MtlsAuthServer.Hosting;

public static class KestrelListeners
{
    /// <summary>Binds the mTLS, public and management listeners from <see cref="ListenerOptions"/>.</summary>
    public static WebApplicationBuilder AddListeners(this WebApplicationBuilder builder)
    {
        TlsListenerOptions.Bind<ListenerOptions>(builder.Services, ListenerOptions.Section);
        ServerCertificateOptions.Bind(builder.Services);
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

    private static void Listen(KestrelServerOptions kestrel, string url, ListenerRole role, Action<ListenOptions> configure) =>
        KestrelEndpoints.Listen(kestrel, url, $"{ListenerOptions.Section}:{role}", listen =>
        {
            ListenerRoles.Tag(listen, role);
            configure(listen);
        });
}
