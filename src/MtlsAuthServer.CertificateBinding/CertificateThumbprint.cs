using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.CertificateBinding;

/// <summary>The RFC 8705 §3.1 certificate thumbprint: SHA-256 of the DER encoding, base64url without padding.</summary>
public static class CertificateThumbprint
{
    /// <summary>Length in bytes of an <c>x5t#S256</c> value once decoded.</summary>
    public const int Sha256Length = 32;

    /// <summary>The <c>x5t#S256</c> of <paramref name="certificate"/>, e.g. for logs and responses.</summary>
    public static string Sha256(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Base64Url.EncodeToString(SHA256.HashData(certificate.RawDataMemory.Span));
    }
}
