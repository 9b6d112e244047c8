using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Tests.Infrastructure;

/// <summary>
/// HttpClients that speak real TLS to the test host: the server is verified against the test root (never
/// "accept any"), and the client presents the given certificate and, optionally, its intermediates.
/// </summary>
public static class MtlsHttpClient
{
    public static HttpClient Create(TestPki pki, X509Certificate2? clientCertificate, params X509Certificate2[] intermediates) =>
        Create(pki, clientCertificate, intermediates, checkName: true);

    /// <summary>
    /// A client that verifies the server's chain to the test root but not its name: .NET checks the name against the
    /// Host header, and a Host-header spec sends a Host the certificate doesn't name on purpose.
    /// </summary>
    public static HttpClient WithAnyHostHeader(TestPki pki, X509Certificate2? clientCertificate) =>
        Create(pki, clientCertificate, [], checkName: false);

    private static HttpClient Create(TestPki pki, X509Certificate2? clientCertificate, X509Certificate2[] intermediates, bool checkName)
    {
        var trust = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        trust.CustomTrustStore.Add(pki.Root.Certificate);
        trust.ExtraStore.Add(pki.Issuing.Certificate);

        var ssl = new SslClientAuthenticationOptions { CertificateChainPolicy = trust };
        if (!checkName)
        {
            ssl.RemoteCertificateValidationCallback = (_, _, _, errors) => (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None;
        }

        if (clientCertificate is not null)
        {
            ssl.ClientCertificateContext = SslStreamCertificateContext.Create(clientCertificate, [.. intermediates], offline: true);
        }

        var handler = new SocketsHttpHandler
        {
            SslOptions = ssl,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            AllowAutoRedirect = false,
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }
}
