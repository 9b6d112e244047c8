using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Diagnostics;

/// <summary>What the logs say about a certificate: enough to find it, nothing secret.</summary>
public readonly record struct CertificateFacts(string Subject, string Issuer, string SerialNumber, string Thumbprint)
{
    public static CertificateFacts None { get; } = new("-", "-", "-", "-");

    public static CertificateFacts Of(X509Certificate2? certificate) => certificate is null
        ? None
        : new(certificate.Subject, certificate.Issuer, certificate.SerialNumber, Sha256Thumbprint(certificate));

    /// <summary>RFC 8705 §3.1 <c>x5t#S256</c>: base64url SHA-256 of the DER, no padding.</summary>
    public static string Sha256Thumbprint(X509Certificate2 certificate) =>
        Base64Url.EncodeToString(SHA256.HashData(certificate.RawData));
}
