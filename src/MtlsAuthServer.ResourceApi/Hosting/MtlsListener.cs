using System.Net;
using System.Net.Security;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Pki;
using MtlsAuthServer.ResourceApi.Certificates;
using MtlsAuthServer.ServiceDefaults.Tls;

namespace MtlsAuthServer.ResourceApi.Hosting;

public static class MtlsListener
{
    private static readonly List<SslApplicationProtocol> Protocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];

    /// <summary>
    /// One HTTPS listener that requests a client certificate in every handshake (HTTP/2 forbids renegotiation, so
    /// the certificate can't be asked for later). The handshake proves the client holds the certificate's key; the
    /// certificate itself is judged per request (the certificate handler, <see cref="CallerCertificateRegistration"/>), so each refusal is a
    /// <c>401</c> with a logged reason rather than a bare TLS alert. The caller's certificate reaches the app on
    /// <c>HttpContext.Connection.ClientCertificate</c>, where a verified proxy's forwarded certificate will also go.
    /// </summary>
    public static WebApplicationBuilder AddMtlsListener(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ListenerOptions>().BindConfiguration(ListenerOptions.Section)
            .ValidateDataAnnotations()
            .Validate(options => TlsPolicy.ConfigurationErrors(options.TlsProtocols, $"{ListenerOptions.Section}:TlsProtocols").Count == 0,
                $"{ListenerOptions.Section}:TlsProtocols: only Tls12 and Tls13 are allowed (RFC 9325 §4.1: nothing below TLS 1.2).")
            .ValidateOnStart();
        var serverSettings = builder.Configuration.GetSection(ServerCertificateOptions.Section).Get<ServerCertificateOptions>() ?? new ServerCertificateOptions();
        var (leaf, intermediates) = CertificateFiles.LoadWithKey(
            builder.Environment, serverSettings.Path, serverSettings.KeyPath, serverSettings.Password, ServerCertificateOptions.Section);
        var serverCertificate = SslStreamCertificateContext.Create(leaf, intermediates, offline: true);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var services = kestrel.ApplicationServices;
            var settings = services.GetRequiredService<IOptions<ListenerOptions>>().Value;
            var anchors = services.GetRequiredService<TrustAnchors>();
            kestrel.AddServerHeader = false;

            Listen(kestrel, settings.Url, listen => listen.UseHttps(new TlsHandshakeCallbackOptions
            {
                // BCP 195 versions, the token server's (TlsPolicy); suites are checked once the handshake is done, or
                // restricted in the handshake to the FAPI 2.0 ones (Listener:Fapi2TlsSuites).
                OnConnection = _ => ValueTask.FromResult(TlsPolicy.Apply(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = serverCertificate,
                    ClientCertificateRequired = true,
                    ApplicationProtocols = Protocols,
                    // Our anchors, no downloads of URLs named by an untrusted certificate; the handshake decides nothing.
                    CertificateChainPolicy = anchors.CreatePolicy(Oids.ClientAuthentication),
                    RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null || !settings.RequireCertificateInHandshake,
                }, settings.TlsProtocols, settings.Fapi2TlsSuites)),
            }).RefuseSuitesOutsideBcp195());
        });

        return builder;
    }

    private static void Listen(KestrelServerOptions kestrel, string url, Action<ListenOptions> configure)
    {
        const string key = $"{ListenerOptions.Section}:Url";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidDataException($"{key}: '{url}' is not an absolute https URL.");
        }

        void Configure(ListenOptions listen)
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
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
                    throw new InvalidDataException($"{key}: host '{uri.Host}' must be localhost, an IP address or '*'.");
                }

                kestrel.Listen(address, uri.Port, Configure);
                break;
        }
    }
}
