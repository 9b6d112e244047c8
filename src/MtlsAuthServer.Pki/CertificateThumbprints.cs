using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Pki;

/// <summary>
/// The RFC 8705 §3.1 thumbprint (<c>x5t#S256</c>: SHA-256 of the DER, base64url without padding) for the hosts and the
/// PKI tool. The two standalone libraries (binding, forwarding) keep their own one-liner: they depend on nothing here.
/// </summary>
public static class CertificateThumbprints
{
    public static string X5tS256(X509Certificate2 certificate) =>
        Base64Url.EncodeToString(SHA256.HashData(certificate.RawDataMemory.Span)); // RawData would copy the DER first
}
