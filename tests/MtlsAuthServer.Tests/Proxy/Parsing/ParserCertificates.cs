using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Proxy.Parsing;

/// <summary>A client certificate and its issuing CA for the header parser specs.</summary>
public sealed class ParserCertificates : IDisposable
{
    public ParserCertificates()
    {
        Pki = TestPki.Create();
        Client = Pki.IssueClient("CN=payments,O=Test Org");
        Victim = Pki.IssueClient("CN=victim,O=Test Org");
    }

    public TestPki Pki { get; }

    public X509Certificate2 Client { get; }

    public X509Certificate2 Victim { get; }

    public X509Certificate2 Issuing => Pki.Issuing.Certificate;

    public void Dispose()
    {
        Client.Dispose();
        Victim.Dispose();
        Pki.Dispose();
    }
}
