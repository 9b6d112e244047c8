using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Tests.Revocation;

/// <summary>
/// root → issuing CA → leaves, minted from "now", with the issuing CA's certificate, key and an openssl
/// <c>index.txt</c> written to a folder of its own. Leaves carry the AIA OCSP URL (and a CDP when asked).
/// </summary>
internal sealed class OcspTestPki : IDisposable
{
    public const string IssuingCaSubject = "CN=OCSP Test Issuing CA, O=MtlsAuthServer Tests";

    public const string IssuingCertificateFile = "issuing-ca.crt";

    public const string IssuingKeyFile = "issuing-ca.key";

    private readonly List<IDisposable> _owned = [];
    private readonly List<(X509Certificate2 Certificate, DateTimeOffset? RevokedAt)> _index = [];

    public OcspTestPki(Uri ocspUri, Uri? crlUri = null)
    {
        Folder = Directory.CreateTempSubdirectory("mtls-ocsp-").FullName;
        OcspUri = ocspUri;
        Now = DateTimeOffset.UtcNow;
        Root = Own(CertificateAuthority.CreateRoot("CN=OCSP Test Root, O=MtlsAuthServer Tests", Now.AddMinutes(-10), Now.AddDays(30)));
        Issuing = Own(Root.CreateSubordinate(IssuingCaSubject, Now.AddMinutes(-10), Now.AddDays(20), endpoints: new RevocationEndpoints(crlUri, ocspUri)));
        PemFiles.WriteCertificates(Path.Combine(Folder, IssuingCertificateFile), Issuing.Certificate);
        PemFiles.WritePrivateKey(Path.Combine(Folder, IssuingKeyFile), Issuing.Certificate);
    }

    public string Folder { get; }

    public Uri OcspUri { get; }

    public DateTimeOffset Now { get; }

    public CertificateAuthority Root { get; }

    public CertificateAuthority Issuing { get; }

    /// <summary>A client certificate listed as valid in the index.</summary>
    public X509Certificate2 IssueGood(string name) => Indexed(IssueClient(name), revokedAt: null);

    /// <summary>A client certificate listed as revoked (an hour ago) in the index.</summary>
    public X509Certificate2 IssueRevoked(string name) => Indexed(IssueClient(name), Now.AddHours(-1));

    /// <summary>A client certificate the index doesn't list: openssl answers "unknown" for it.</summary>
    public X509Certificate2 IssueUnlisted(string name) => IssueClient(name);

    /// <summary>A responder certificate issued by <paramref name="issuer"/>, written as <c>name.crt</c>/<c>name.key</c>.</summary>
    public (string Certificate, string Key) WriteResponder(string name, CertificateAuthority issuer, IReadOnlyList<string> extendedKeyUsages)
    {
        var responder = Own(issuer.Issue(new CertificateProfile
        {
            SubjectDn = $"CN={name}, O=MtlsAuthServer Tests",
            NotBefore = Now.AddMinutes(-10),
            NotAfter = Now.AddDays(2),
            ExtendedKeyUsages = extendedKeyUsages,
        }));
        return WriteSigner(name, responder);
    }

    /// <summary>Writes a signer's certificate and key for <c>-rsigner</c>/<c>-rkey</c>.</summary>
    public (string Certificate, string Key) WriteSigner(string name, X509Certificate2 signer)
    {
        PemFiles.WriteCertificates(Path.Combine(Folder, name + ".crt"), signer);
        PemFiles.WritePrivateKey(Path.Combine(Folder, name + ".key"), signer);
        return (name + ".crt", name + ".key");
    }

    /// <summary>Writes the index and starts <c>openssl ocsp</c> for the issuing CA, signing as <paramref name="signer"/> (default: the CA itself).</summary>
    public Task<OpenSslOcspResponder> StartResponderAsync((string Certificate, string Key)? signer = null)
    {
        WriteIndex();
        var (certificate, key) = signer ?? (IssuingCertificateFile, IssuingKeyFile);
        return OpenSslOcspResponder.StartAsync(Folder, OcspUri.Port, IssuingCertificateFile, certificate, key);
    }

    /// <summary>Writes <c>index.txt</c> in the format of <c>openssl ca</c>: status, expiry, revocation time, serial, file, subject.</summary>
    public void WriteIndex()
    {
        var index = new StringBuilder();
        foreach (var (certificate, revokedAt) in _index)
        {
            index.Append(revokedAt is null ? 'V' : 'R').Append('\t')
                .Append(OpenSslTime(certificate.NotAfter.ToUniversalTime())).Append('\t')
                .Append(revokedAt is { } at ? OpenSslTime(at.UtcDateTime) : string.Empty).Append('\t')
                .Append(certificate.SerialNumber).Append("\tunknown\t/")
                .Append(certificate.SubjectName.Format(multiLine: false).Replace(", ", "/", StringComparison.Ordinal))
                .Append('\n');
        }

        PemFiles.WritePublic(Path.Combine(Folder, "index.txt"), index.ToString());
    }

    public T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        Directory.Delete(Folder, recursive: true);
    }

    private static string OpenSslTime(DateTime utc) => utc.ToString("yyMMddHHmmss'Z'", CultureInfo.InvariantCulture);

    private X509Certificate2 IssueClient(string name) =>
        Own(Issuing.Issue(CertificateProfile.ForClient($"CN={name}, O=MtlsAuthServer Tests", Now.AddMinutes(-10), Now.AddDays(1))));

    private X509Certificate2 Indexed(X509Certificate2 certificate, DateTimeOffset? revokedAt)
    {
        _index.Add((certificate, revokedAt));
        return certificate;
    }
}
