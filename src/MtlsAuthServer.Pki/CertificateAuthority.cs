using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Pki;

/// <summary>
/// A certificate authority holding its own certificate and private key: it creates subordinate CAs,
/// issues end-entity certificates (from a profile, or from a CSR so the client keeps its key) and signs CRLs.
/// The same code backs the development PKI, the <c>mtls-pki</c> tool and every test that needs a certificate.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    private CertificateAuthority(X509Certificate2 certificate, RevocationEndpoints endpoints)
    {
        Certificate = certificate;
        Endpoints = endpoints;
    }

    /// <summary>The CA certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Where this CA publishes revocation data; stamped into every certificate it issues.</summary>
    public RevocationEndpoints Endpoints { get; }

    public static CertificateAuthority CreateRoot(
        string subjectDn, DateTimeOffset notBefore, DateTimeOffset notAfter,
        KeyAlgorithm keyAlgorithm = KeyAlgorithm.EcdsaP256, RevocationEndpoints? endpoints = null)
    {
        using var key = CertificateKey.Generate(keyAlgorithm);
        var request = CreateCaRequest(subjectDn, key, pathLength: 1);
        var certificate = request.CreateSelfSigned(notBefore, notAfter);
        return new CertificateAuthority(certificate, endpoints ?? RevocationEndpoints.None);
    }

    /// <summary>Loads a CA from its PEM certificate and PEM private key.</summary>
    public static CertificateAuthority Load(string certificatePemPath, string keyPemPath, RevocationEndpoints? endpoints = null)
    {
        var certificate = X509Certificate2.CreateFromPemFile(certificatePemPath, keyPemPath);
        return new CertificateAuthority(certificate, endpoints ?? RevocationEndpoints.None);
    }

    public CertificateAuthority CreateSubordinate(
        string subjectDn, DateTimeOffset notBefore, DateTimeOffset notAfter,
        KeyAlgorithm keyAlgorithm = KeyAlgorithm.EcdsaP256, RevocationEndpoints? endpoints = null)
    {
        using var key = CertificateKey.Generate(keyAlgorithm);
        var request = CreateCaRequest(subjectDn, key, pathLength: 0);
        AddIssuerLinks(request);
        var certificate = Sign(request, notBefore, notAfter);
        return new CertificateAuthority(CertificateKey.AttachPrivateKey(certificate, key), endpoints ?? RevocationEndpoints.None);
    }

    /// <summary>Issues an end-entity certificate with a newly generated key (returned attached to the certificate).</summary>
    public X509Certificate2 Issue(CertificateProfile profile)
    {
        using var key = CertificateKey.Generate(profile.KeyAlgorithm);
        var request = CertificateKey.CreateRequest(DistinguishedName.Encode(profile.SubjectDn), key);
        AddLeafExtensions(request, profile);
        return CertificateKey.AttachPrivateKey(Sign(request, profile.NotBefore, profile.NotAfter), key);
    }

    /// <summary>
    /// Issues a new certificate for the identity of <paramref name="existing"/>: the same subject and the same
    /// SAN, key usage, EKU and basic-constraints extensions (copied as they are), with a new key and serial.
    /// </summary>
    public X509Certificate2 Reissue(X509Certificate2 existing, DateTimeOffset notBefore, DateTimeOffset notAfter, KeyAlgorithm keyAlgorithm)
    {
        using var key = CertificateKey.Generate(keyAlgorithm);
        var request = CertificateKey.CreateRequest(existing.SubjectName, key);
        IdentityExtensions.CopyTo(existing, request);
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        AddIssuerLinks(request);
        return CertificateKey.AttachPrivateKey(Sign(request, notBefore, notAfter), key);
    }

    /// <summary>
    /// Whether <paramref name="certificate"/> names this CA as its issuer (issuer DN and authority key id).
    /// It tells an operator's files apart; it is not a signature check.
    /// </summary>
    public bool IsIssuerOf(X509Certificate2 certificate)
    {
        if (!certificate.IssuerName.RawData.AsSpan().SequenceEqual(Certificate.SubjectName.RawData))
        {
            return false;
        }

        if (certificate.Extensions[Oids.AuthorityKeyIdentifier] is not { } aki
            || Certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault() is not { } ski)
        {
            return true;
        }

        var keyIdentifier = new X509AuthorityKeyIdentifierExtension(aki.RawData).KeyIdentifier;
        return keyIdentifier is not { } id || id.Span.SequenceEqual(ski.SubjectKeyIdentifierBytes.Span);
    }

    /// <summary>
    /// Signs a PKCS#10 request: the subject key comes from the CSR (the client keeps its private key) and
    /// everything else from the profile, never from CSR attributes, so a CSR cannot ask for CA rights.
    /// </summary>
    public X509Certificate2 SignRequest(string csrPem, CertificateProfile profile)
    {
        var loaded = CertificateRequest.LoadSigningRequestPem(
            csrPem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default, RSASignaturePadding.Pkcs1);
        var request = new CertificateRequest(DistinguishedName.Encode(profile.SubjectDn), loaded.PublicKey, HashAlgorithmName.SHA256);
        AddLeafExtensions(request, profile);
        return Sign(request, profile.NotBefore, profile.NotAfter);
    }

    /// <summary>Builds and signs a CRL listing <paramref name="revoked"/>.</summary>
    public byte[] CreateCrl(
        IEnumerable<RevokedCertificate> revoked, BigInteger crlNumber, DateTimeOffset thisUpdate, DateTimeOffset nextUpdate)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var entry in revoked)
        {
            // RFC 5280 §5.3.1: reasonCode SHOULD be absent rather than "unspecified".
            builder.AddEntry(entry.SerialNumber, entry.RevokedAt, entry.Reason == X509RevocationReason.Unspecified ? null : entry.Reason);
        }

        return Certificate.GetRSAPrivateKey() is null
            ? builder.Build(Certificate, crlNumber, nextUpdate, HashAlgorithmName.SHA256, thisUpdate: thisUpdate)
            : builder.Build(Certificate, crlNumber, nextUpdate, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, thisUpdate);
    }

    public void Dispose() => Certificate.Dispose();

    private static CertificateRequest CreateCaRequest(string subjectDn, AsymmetricAlgorithm key, int pathLength)
    {
        var request = CertificateKey.CreateRequest(DistinguishedName.Encode(subjectDn), key);
        request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForCertificateAuthority(pathLength));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request;
    }

    private void AddLeafExtensions(CertificateRequest request, CertificateProfile profile)
    {
        request.CertificateExtensions.Add(profile.MarkAsCertificateAuthority
            ? X509BasicConstraintsExtension.CreateForCertificateAuthority()
            : X509BasicConstraintsExtension.CreateForEndEntity(critical: true));

        if (profile.KeyUsage is { } keyUsage)
        {
            request.CertificateExtensions.Add(new X509KeyUsageExtension(keyUsage, critical: true));
        }

        if (profile.ExtendedKeyUsages.Count > 0)
        {
            var usages = new OidCollection();
            foreach (var oid in profile.ExtendedKeyUsages)
            {
                usages.Add(new Oid(oid));
            }

            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, critical: false));
        }

        if (SubjectAlternativeNames.TryBuild(profile) is { } san)
        {
            request.CertificateExtensions.Add(san);
        }

        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        AddIssuerLinks(request);
    }

    private void AddIssuerLinks(CertificateRequest request)
    {
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(
            Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));

        if (Endpoints.CrlUri is { } crl)
        {
            request.CertificateExtensions.Add(
                CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([crl.AbsoluteUri]));
        }

        if (Endpoints.OcspUri is { } ocsp)
        {
            request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension([ocsp.AbsoluteUri], null));
        }
    }

    private X509Certificate2 Sign(CertificateRequest request, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        // A subordinate may not outlive its issuer: clamp rather than fail, so "issue for 10 years" does what it can.
        if (notAfter > Certificate.NotAfter)
        {
            notAfter = Certificate.NotAfter;
        }

        var generator = CertificateKey.CreateSignatureGenerator(Certificate);
        return request.Create(Certificate.SubjectName, generator, notBefore, notAfter, NewSerialNumber());
    }

    private static byte[] NewSerialNumber()
    {
        // RFC 5280 §4.1.2.2: positive, at most 20 octets; 16 random octets with the top bit cleared.
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        serial[0] |= 0x01;
        return serial;
    }
}
