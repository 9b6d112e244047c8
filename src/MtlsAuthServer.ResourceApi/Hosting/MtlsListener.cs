using System.Net.Security;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Pki;
using MtlsAuthServer.ResourceApi.Certificates;
using MtlsAuthServer.ServiceDefaults.Hosting;
using MtlsAuthServer.ServiceDefaults.Tls;

namespace MtlsAuthServer.ResourceApi.Hosting;

public static class MtlsListener
{
    /// <summary>
    /// One HTTPS listener that requests a client certificate in every handshake (HTTP/2 forbids renegotiation, so
    /// the certificate can't be asked for later). The handshake proves the client holds the certificate's key; the
    /// certificate itself is judged per request (the certificate handler, <see cref="CallerCertificateRegistration"/>), so each refusal is a
    /// <c>401</c> with a logged reason rather than a bare TLS alert. The caller's certificate reaches the app on
    /// <c>HttpContext.Connection.ClientCertificate</c>, where a verified proxy's forwarded certificate will also go.
    /// </summary>
    public static WebApplicationBuilder AddMtlsListener(this WebApplicationBuilder builder)
    {
        TlsListenerOptions.Bind<ListenerOptions>(builder.Services, ListenerOptions.Section);
        ServerCertificateOptions.Bind(builder.Services);
        builder.Services.AddSingleton<ServerCertificateProvider>();

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var services = kestrel.ApplicationServices;
            var settings = services.GetRequiredService<IOptions<ListenerOptions>>().Value;
            var anchors = services.GetRequiredService<TrustBundle>();
            // Loaded now, so a bad certificate or key stops the start, naming its key.
            var serverCertificate = services.GetRequiredService<ServerCertificateProvider>().Current;
            kestrel.AddServerHeader = false;

            KestrelEndpoints.Listen(kestrel, settings.Url, $"{ListenerOptions.Section}:Url", listen => listen.UseHttps(new TlsHandshakeCallbackOptions
            {
                // BCP 195 versions, the token server's (TlsPolicy); suites are checked once the handshake is done, or
                // restricted in the handshake to the FAPI 2.0 ones (Listener:Fapi2TlsSuites).
                OnConnection = _ => ValueTask.FromResult(TlsPolicy.Apply(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = serverCertificate,
                    ClientCertificateRequired = true,
                    ApplicationProtocols = KestrelEndpoints.ApplicationProtocols,
                    // Our anchors, no downloads of URLs named by an untrusted certificate; the handshake decides nothing.
                    CertificateChainPolicy = anchors.CreatePolicy(Oids.ClientAuthentication),
                    RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null || !settings.RequireCertificateInHandshake,
                }, settings.TlsProtocols, settings.Fapi2TlsSuites)),
            }).RefuseSuitesOutsideBcp195(), requireHttps: true);
        });

        return builder;
    }
}
