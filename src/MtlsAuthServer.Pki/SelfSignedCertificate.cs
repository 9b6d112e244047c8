using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Pki;

/// <summary>Self-signed end-entity certificates, as used by <c>self_signed_tls_client_auth</c> clients (RFC 8705 §2.2).</summary>
public static class SelfSignedCertificate
{
    public static X509Certificate2 Create(CertificateProfile profile)
    {
        using var key = CertificateKey.Generate(profile.KeyAlgorithm);
        var request = CertificateKey.CreateRequest(DistinguishedName.Encode(profile.SubjectDn), key);
        request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForEndEntity(critical: true));
        if (profile.KeyUsage is { } keyUsage)
        {
            request.CertificateExtensions.Add(new X509KeyUsageExtension(keyUsage, critical: true));
        }

        if (profile.ExtendedKeyUsages.Count > 0)
        {
            var usages = new System.Security.Cryptography.OidCollection();
            foreach (var oid in profile.ExtendedKeyUsages)
            {
                usages.Add(new System.Security.Cryptography.Oid(oid));
            }

            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, critical: false));
        }

        if (SubjectAlternativeNames.TryBuild(profile) is { } san)
        {
            request.CertificateExtensions.Add(san);
        }

        return request.CreateSelfSigned(profile.NotBefore, profile.NotAfter);
    }

    /// <summary>A new self-signed certificate (new key) with the subject, SANs and usages of <paramref name="existing"/>.</summary>
    public static X509Certificate2 Recreate(X509Certificate2 existing, DateTimeOffset notBefore, DateTimeOffset notAfter, KeyAlgorithm keyAlgorithm)
    {
        using var key = CertificateKey.Generate(keyAlgorithm);
        var request = CertificateKey.CreateRequest(existing.SubjectName, key);
        IdentityExtensions.CopyTo(existing, request);
        return request.CreateSelfSigned(notBefore, notAfter);
    }
}
