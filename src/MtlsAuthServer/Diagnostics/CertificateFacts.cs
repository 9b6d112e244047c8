using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Diagnostics;

/// <summary>What the logs say about a certificate: enough to find it, nothing secret.</summary>
public readonly record struct CertificateFacts(string Subject, string Issuer, string SerialNumber, string Thumbprint)
{
    public static CertificateFacts None { get; } = new("-", "-", "-", "-");

    public static CertificateFacts Of(X509Certificate2? certificate) => certificate is null
        ? None
        : new(SubjectOf(certificate), Describe(() => certificate.Issuer, certificate.IssuerName), certificate.SerialNumber, Sha256Thumbprint(certificate));

    /// <summary>The subject as .NET renders it; a name it cannot decode (not DER, say) is shown as its hex encoding.</summary>
    public static string SubjectOf(X509Certificate2 certificate) => Describe(() => certificate.Subject, certificate.SubjectName);

    private static string Describe(Func<string> render, X500DistinguishedName name)
    {
        try
        {
            var text = render();
            return text.Length > 0 || name.RawData.Length <= 2 ? text : "#" + Convert.ToHexString(name.RawData);
        }
        catch (CryptographicException)
        {
            return "#" + Convert.ToHexString(name.RawData);
        }
    }

    /// <summary>RFC 8705 §3.1 <c>x5t#S256</c>: base64url SHA-256 of the DER, no padding.</summary>
    public static string Sha256Thumbprint(X509Certificate2 certificate) =>
        CertificateThumbprints.X5tS256(certificate);
}
