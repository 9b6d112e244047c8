using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.TokenEndpoint;

/// <summary>One token server shared by a spec class, with a client registered for each kind of RFC 8705 identity.</summary>
public sealed class StandardTokenServer : IDisposable
{
    public StandardTokenServer()
    {
        Pki = TestPki.Create();
        SelfSigned = Pki.CreateSelfSigned("CN=self-signed robot", "self-1.crt");
        SelfSignedRotated = Pki.CreateSelfSigned("CN=self-signed robot", "self-2.crt");
        Host = TokenServerHost.Start(Pki, settings => settings
            .AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,OU=Treasury,O=Test Org", "api:read api:write")
            .AddTlsClient("billing", "tls_client_auth_san_dns", "billing.example.com")
            .AddTlsClient("orders", "tls_client_auth_san_uri", "spiffe://example.org/ns/prod/sa/orders")
            .AddTlsClient("gateway", "tls_client_auth_san_ip", "10.1.2.3")
            .AddTlsClient("mailer", "tls_client_auth_san_email", "robot@Example.COM")
            .AddTlsClient("sample-resource-api", "tls_client_auth_subject_dn", "CN=sample-resource-api,O=Test Org", scope: null)
            .AddSelfSignedClient("robot", SelfSigned.PemPath, SelfSignedRotated.PemPath));
    }

    public TestPki Pki { get; }

    public TokenServerHost Host { get; }

    public (System.Security.Cryptography.X509Certificates.X509Certificate2 Certificate, string PemPath) SelfSigned { get; }

    public (System.Security.Cryptography.X509Certificates.X509Certificate2 Certificate, string PemPath) SelfSignedRotated { get; }

    public void Dispose()
    {
        Host.Dispose();
        SelfSigned.Certificate.Dispose();
        SelfSignedRotated.Certificate.Dispose();
        Pki.Dispose();
    }
}
