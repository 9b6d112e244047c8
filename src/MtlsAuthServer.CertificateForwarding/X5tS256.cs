using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.CertificateForwarding;

/// <summary>
/// The RFC 8705 §3.1 thumbprint for this library's logs (base64url SHA-256 of the DER, no padding). Its own one-liner:
/// the package depends on nothing of the hosts.
/// </summary>
internal static class X5tS256
{
    public static string Of(X509Certificate2 certificate) => Base64Url.EncodeToString(SHA256.HashData(certificate.RawDataMemory.Span));
}
