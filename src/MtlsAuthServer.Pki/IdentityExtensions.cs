using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Pki;

/// <summary>
/// The extensions that say who a certificate is for and what it may do. A rotated certificate copies them
/// byte for byte, so the server's identity match (RFC 8705 §2.1.2: subject DN or one SAN) is unchanged.
/// </summary>
internal static class IdentityExtensions
{
    private static readonly HashSet<string> Copied = new(StringComparer.Ordinal)
    {
        Oids.BasicConstraints, Oids.KeyUsage, Oids.ExtendedKeyUsage, Oids.SubjectAlternativeName,
    };

    public static void CopyTo(X509Certificate2 existing, CertificateRequest request)
    {
        foreach (var extension in existing.Extensions)
        {
            if (extension.Oid?.Value is { } oid && Copied.Contains(oid))
            {
                request.CertificateExtensions.Add(new X509Extension(extension.Oid, extension.RawData, extension.Critical));
            }
        }
    }
}
