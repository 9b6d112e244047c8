using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Tests.Infrastructure;

/// <summary>
/// A root → issuing CA → server certificate hierarchy minted from "now" for one test host, written to a
/// temporary folder the host is configured with. Client certificates of every kind come from here.
/// </summary>
public sealed class TestPki : IDisposable
{
    private TestPki(string folder, CertificateAuthority root, CertificateAuthority issuing, X509Certificate2 server)
    {
        Folder = folder;
        Root = root;
        Issuing = issuing;
        Server = server;
    }

    public string Folder { get; }

    public CertificateAuthority Root { get; }

    public CertificateAuthority Issuing { get; }

    public X509Certificate2 Server { get; }

    public string TrustAnchorsPath => Path.Combine(Folder, "trust-anchors.pem");

    public string IntermediatesPath => Path.Combine(Folder, "intermediates.pem");

    public string ServerCertificatePath => Path.Combine(Folder, "server.crt");

    public string ServerKeyPath => Path.Combine(Folder, "server.key");

    public static DateTimeOffset Now => DateTimeOffset.UtcNow;

    /// <param name="crlBase">When set, certificates carry CDP URLs <c>{crlBase}root.crl</c> / <c>{crlBase}issuing.crl</c>.</param>
    /// <param name="organization">O= of the CA names (two PKIs with the same names model an impostor CA).</param>
    /// <param name="issuingCaNamesCrl">False: the issuing CA's certificate names no CRL (a private PKI with an offline root).</param>
    /// <param name="ocspUri">When set, client certificates name this OCSP responder (AIA).</param>
    public static TestPki Create(Uri? crlBase = null, string organization = "Test Org", bool issuingCaNamesCrl = true, Uri? ocspUri = null)
    {
        var folder = Directory.CreateTempSubdirectory("mtls-test-").FullName;
        var now = Now;
        var root = CertificateAuthority.CreateRoot($"CN=Test Root CA, O={organization}", now.AddDays(-1), now.AddYears(2),
            endpoints: new RevocationEndpoints(crlBase is null || !issuingCaNamesCrl ? null : new Uri(crlBase, "root.crl"), null));
        var issuing = root.CreateSubordinate($"CN=Test Issuing CA, O={organization}", now.AddDays(-1), now.AddYears(1),
            endpoints: new RevocationEndpoints(crlBase is null ? null : new Uri(crlBase, "issuing.crl"), ocspUri));
        var server = issuing.Issue(CertificateProfile.ForServer(
            "CN=localhost", ["localhost"], [System.Net.IPAddress.Loopback, System.Net.IPAddress.IPv6Loopback], now.AddDays(-1), now.AddDays(30)));

        var pki = new TestPki(folder, root, issuing, server);
        PemFiles.WriteCertificates(pki.TrustAnchorsPath, root.Certificate);
        PemFiles.WriteCertificates(pki.IntermediatesPath, issuing.Certificate);
        PemFiles.WriteCertificates(pki.ServerCertificatePath, server, issuing.Certificate);
        PemFiles.WritePrivateKey(pki.ServerKeyPath, server);
        return pki;
    }

    /// <summary>
    /// Opens a PKI folder written by <c>mtls-pki init</c> (or the server's development PKI): same file names, and
    /// its CAs keep the CRL/OCSP URLs of their state, so certificates minted here look like the tool's.
    /// </summary>
    public static TestPki Load(string folder)
    {
        var layout = new DevelopmentPkiLayout(folder);
        var server = X509Certificate2.CreateFromPemFile(layout.ServerCertificate, layout.ServerKey);
        return new TestPki(folder, layout.RootCa.Open(), layout.IssuingCa.Open(), server);
    }

    /// <summary>A client certificate from the issuing CA, valid from yesterday for a month unless the profile says otherwise.</summary>
    public X509Certificate2 IssueClient(string subjectDn, Func<CertificateProfile, CertificateProfile>? adjust = null)
    {
        var profile = CertificateProfile.ForClient(subjectDn, Now.AddDays(-1), Now.AddDays(30));
        return Issuing.Issue(adjust is null ? profile : adjust(profile));
    }

    public byte[] IssuingCrl(params X509Certificate2[] revoked) =>
        Issuing.CreateCrl(revoked.Select(c => RevokedCertificate.For(c, Now.AddMinutes(-1))), BigInteger.One, Now.AddMinutes(-1), Now.AddDays(1));

    public byte[] RootCrl() => Root.CreateCrl([], BigInteger.One, Now.AddMinutes(-1), Now.AddDays(1));

    /// <summary>A self-signed client certificate (for <c>self_signed_tls_client_auth</c>), written as PEM.</summary>
    public (X509Certificate2 Certificate, string PemPath) CreateSelfSigned(string subjectDn, string fileName)
    {
        var certificate = SelfSignedCertificate.Create(CertificateProfile.ForClient(subjectDn, Now.AddDays(-1), Now.AddDays(30)));
        var path = Path.Combine(Folder, fileName);
        PemFiles.WriteCertificates(path, certificate);
        return (certificate, path);
    }

    public void Dispose()
    {
        Root.Dispose();
        Issuing.Dispose();
        Server.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
