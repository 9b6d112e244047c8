using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.ResourceApi.Tokens;

/// <summary>
/// How the API decides that it talks to the real token server: the server certificate must match the host name and
/// chain to the configured anchors (custom root trust, the OS store is not consulted, nothing is downloaded).
/// </summary>
public sealed class TokenServerTrust(TrustBundle anchors)
{
    public void Apply(HttpClientHandler handler) =>
        handler.ServerCertificateCustomValidationCallback = (_, certificate, presentedChain, errors) => IsTrusted(certificate, presentedChain, errors);

    public bool IsTrusted(X509Certificate2? certificate, X509Chain? presentedChain, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }

        using var chain = new X509Chain { ChainPolicy = anchors.CreatePolicy(Oids.ServerAuthentication) };
        // Time matters for the token server's certificate: no ignore flags here.
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
        if (presentedChain is not null)
        {
            foreach (var element in presentedChain.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(certificate);
    }
}
