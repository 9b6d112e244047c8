using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using MtlsAuthServer.CertificateForwarding;
using MtlsAuthServer.Certificates;
using MtlsAuthServer.Pki;
using MtlsAuthServer.Profiles;
using MtlsAuthServer.ServiceDefaults.Hosting;

namespace MtlsAuthServer.Hosting;

/// <summary>
/// TLS settings for each connection on the mTLS listener. The handshake asks for a client certificate and proves
/// the client holds its private key (TLS CertificateVerify); it does not decide trust. Trust, validity, usage,
/// revocation and identity are decided per request at the OAuth endpoints, where a refusal becomes
/// <c>invalid_client</c> with a logged reason instead of a silent TLS alert (docs/adr/0001). Versions and cipher
/// suites follow BCP 195 (<see cref="TlsPolicy"/>) on every listener.
/// </summary>
public sealed class MtlsHandshake(
    ServerCertificateProvider serverCertificate, ClientChainPolicyFactory chainPolicies, TrustMaterialProvider trust, IOptions<ListenerOptions> listeners,
    IOptions<ServerProfileOptions> profile)
{
    public SslServerAuthenticationOptions CreateOptions(ConnectionContext connection)
    {
        var settings = listeners.Value;
        return TlsPolicy.Apply(new SslServerAuthenticationOptions
        {
            ServerCertificateContext = serverCertificate.Current,
            ClientCertificateRequired = true,
            ApplicationProtocols = KestrelEndpoints.ApplicationProtocols,
            // The chain SslStream builds during the handshake uses our anchors and never downloads
            // AIA/CDP URLs chosen by a not-yet-trusted certificate.
            CertificateChainPolicy = chainPolicies.Create(),
            RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
                RecordPresentedChain(connection, certificate, chain, settings.RequireCertificateInHandshake, trust.Current),
        }, settings.TlsProtocols, profile.Value.IsFapi2);
    }

    public static SslServerAuthenticationOptions CreatePublicOptions(ServerCertificateProvider serverCertificate, ListenerOptions settings, ServerProfileOptions profile) =>
        TlsPolicy.Apply(new SslServerAuthenticationOptions
        {
            ServerCertificateContext = serverCertificate.Current,
            ClientCertificateRequired = false,
            ApplicationProtocols = KestrelEndpoints.ApplicationProtocols,
        }, settings.TlsProtocols, profile.IsFapi2);

    /// <summary>
    /// Keeps what the client sent for the per-request validation. Returns whether the handshake may complete:
    /// always when a certificate was presented (possession is proven by TLS itself), and without one only
    /// when <see cref="TlsListenerOptions.RequireCertificateInHandshake"/> is off.
    /// </summary>
    private static bool RecordPresentedChain(
        ConnectionContext connection, X509Certificate? certificate, X509Chain? chain, bool requireCertificate, TrustBundle configured)
    {
        if (certificate is null)
        {
            return !requireCertificate;
        }

        var intermediates = new List<X509Certificate2>();
        if (chain is not null)
        {
            foreach (var candidate in chain.ChainPolicy.ExtraStore)
            {
                if (intermediates.Count == PresentedCertificateChainFeature.MaxCertificates)
                {
                    break;
                }

                // The chain engine's extra store also holds our configured intermediates: only what the client added is
                // kept, copied (the handshake's objects are disposed when it ends). Usually nothing, so no parsing.
                if (configured.Contains(candidate))
                {
                    continue;
                }

                intermediates.Add(X509CertificateLoader.LoadCertificate(candidate.RawData));
            }
        }

        connection.Features.Set(new PresentedCertificateChainFeature(intermediates));
        return true;
    }
}
