using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Tests.Revocation.Hostile;

/// <summary>
/// Certificates <see cref="CertificateAuthority"/> will not mint: delegated OCSP responders with any EKU, validity
/// or id-pkix-ocsp-nocheck, and a CA without cRLSign. ECDSA P-256 with SHA-256, each returned with its private key.
/// </summary>
public static class HostileCertificates
{
    /// <summary>id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1).</summary>
    public const string OcspNoCheckOid = "1.3.6.1.5.5.7.48.1.5";

    /// <summary>The DER of NULL: ocsp-nocheck's extnValue (RFC 6960 §4.2.2.2.1: "the value of the extension SHALL be NULL").</summary>
    private static readonly byte[] DerNull = [0x05, 0x00];

    /// <summary>
    /// A responder certificate issued by <paramref name="issuer"/> with <paramref name="ekus"/> (pass
    /// <c>Oids.OcspSigning</c> for an authorised one, RFC 6960 §4.2.2.2), validity exactly as given even
    /// outside the issuer's.
    /// </summary>
    public static X509Certificate2 DelegatedResponder(
        CertificateAuthority issuer, bool withOcspNoCheck, IReadOnlyList<string> ekus, DateTimeOffset notBefore, DateTimeOffset notAfter,
        Uri? crlDistributionPoint = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN=Hostile OCSP Responder {Guid.NewGuid():N}, O=MtlsAuthServer Tests"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForEndEntity(critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        if (ekus.Count > 0)
        {
            var usages = new OidCollection();
            foreach (var eku in ekus)
            {
                usages.Add(new Oid(eku));
            }

            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, critical: false));
        }

        if (withOcspNoCheck)
        {
            request.CertificateExtensions.Add(new X509Extension(OcspNoCheckOid, DerNull, critical: false));
        }

        AddLinks(request, crlDistributionPoint, ocspUri: null);
        return SignWith(issuer.Certificate, request, key, notBefore, notAfter);
    }

    /// <summary>
    /// A subordinate CA whose key usage has keyCertSign and digitalSignature but not cRLSign, so a CRL it signs
    /// must be refused (RFC 5280 §6.3.3 (f)); its own CDP, if any, is <paramref name="crlUri"/>.
    /// </summary>
    public static X509Certificate2 CaWithoutCrlSign(CertificateAuthority parent, string subject, Uri? crlUri)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName(subject), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForCertificateAuthority(pathLengthConstraint: 0));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        AddLinks(request, crlUri, ocspUri: null);
        var (notBefore, notAfter) = Within(parent.Certificate, TimeSpan.FromDays(30));
        return SignWith(parent.Certificate, request, key, notBefore, notAfter);
    }

    /// <summary>A client-auth end-entity certificate signed by <paramref name="ca"/> (which must hold its key), with CDP/AIA as given.</summary>
    public static X509Certificate2 IssueLeaf(X509Certificate2 ca, string subject, Uri? crlUri, Uri? ocspUri)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName(subject), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForEndEntity(critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(Oids.ClientAuthentication)], critical: false));
        AddLinks(request, crlUri, ocspUri);
        var (notBefore, notAfter) = Within(ca, TimeSpan.FromDays(7));
        return SignWith(ca, request, key, notBefore, notAfter);
    }

    /// <summary>From an hour ago for <paramref name="lifetime"/>, inside the issuer's validity (RFC 5280 §6.1.3 checks each certificate's).</summary>
    private static (DateTimeOffset NotBefore, DateTimeOffset NotAfter) Within(X509Certificate2 issuer, TimeSpan lifetime)
    {
        var now = DateTimeOffset.UtcNow;
        var notBefore = new[] { now.AddHours(-1), new DateTimeOffset(issuer.NotBefore.ToUniversalTime()) }.Max();
        var notAfter = new[] { now.Add(lifetime), new DateTimeOffset(issuer.NotAfter.ToUniversalTime()) }.Min();
        return (notBefore, notAfter);
    }

    /// <summary>SKI, AKI from the issuer, and the CDP (RFC 5280 §4.2.1.13) and AIA OCSP URL (§4.2.2.1) when given.</summary>
    private static void AddLinks(CertificateRequest request, Uri? crlUri, Uri? ocspUri)
    {
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        if (crlUri is not null)
        {
            request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([crlUri.AbsoluteUri]));
        }

        if (ocspUri is not null)
        {
            request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension([ocspUri.AbsoluteUri], null));
        }
    }

    /// <summary>
    /// Signs through a signature generator rather than <c>Create(issuerCertificate, …)</c>, which refuses a validity
    /// outside the issuer's: an expired or not-yet-valid responder is exactly what some specs need.
    /// </summary>
    private static X509Certificate2 SignWith(X509Certificate2 issuer, CertificateRequest request, ECDsa key, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);

        using var ecdsa = issuer.GetECDsaPrivateKey();
        using var rsa = ecdsa is null ? issuer.GetRSAPrivateKey() : null;
        var generator = ecdsa is not null
            ? X509SignatureGenerator.CreateForECDsa(ecdsa)
            : X509SignatureGenerator.CreateForRSA(rsa ?? throw new InvalidOperationException($"'{issuer.Subject}' has no private key."), RSASignaturePadding.Pkcs1);
        using var certificate = request.Create(issuer.SubjectName, generator, notBefore, notAfter, serial);
        return certificate.CopyWithPrivateKey(key);
    }
}
