using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>Who signed an OCSP response, and whether it may (RFC 6960 §4.2.2.2): <see cref="Responder"/> is null when the issuer signed itself.</summary>
internal sealed record OcspSigner(string Description, X509Certificate2? Responder)
{
    /// <summary>
    /// RFC 6960 §4.2.2.2: the signer is the issuing CA itself, or a responder certificate that the CA issued directly
    /// and marked with id-kp-OCSPSigning. A certificate merely carrying the EKU, from any other CA, signs for nothing.
    /// </summary>
    public static OcspSigner Find(
        ReadOnlySpan<byte> signed, string algorithm, byte[] signature, List<X509Certificate2> certificates, X509Certificate2 issuer, DateTimeOffset now)
    {
        if (SignatureVerifier.Verify(signed, algorithm, signature, issuer))
        {
            return new OcspSigner("issuer", null);
        }

        foreach (var candidate in certificates)
        {
            if (!SignatureVerifier.Verify(signed, algorithm, signature, candidate))
            {
                continue;
            }

            return IsAuthorisedResponder(candidate, issuer, now, out var reason)
                ? new OcspSigner($"delegated responder '{candidate.Subject}'", candidate)
                : throw new CryptographicException($"The OCSP response is signed by '{candidate.Subject}', which {reason}.");
        }

        throw new CryptographicException("The OCSP response's signature does not verify with the issuer's key or any included certificate's.");
    }

    private static bool IsAuthorisedResponder(X509Certificate2 candidate, X509Certificate2 issuer, DateTimeOffset now, out string reason)
    {
        if (!DistinguishedName.FromX500(candidate.IssuerName).Equals(DistinguishedName.FromX500(issuer.SubjectName))
            || !IsSignedBy(candidate, issuer))
        {
            reason = "is not issued by the certificate's issuer";
            return false;
        }

        if (candidate.Extensions[Oids.ExtendedKeyUsage] is not X509EnhancedKeyUsageExtension usages
            || !usages.EnhancedKeyUsages.Cast<Oid>().Any(usage => usage.Value == Oids.OcspSigning))
        {
            reason = "lacks the id-kp-OCSPSigning extended key usage";
            return false;
        }

        // RFC 5280 §4.2.1.3: a key usage extension, when present, must allow signatures.
        if (candidate.Extensions[Oids.KeyUsage] is X509KeyUsageExtension keyUsage
            && !keyUsage.KeyUsages.HasFlag(X509KeyUsageFlags.DigitalSignature))
        {
            reason = "has a key usage without digitalSignature";
            return false;
        }

        if (now < candidate.NotBefore.ToUniversalTime() || now > candidate.NotAfter.ToUniversalTime())
        {
            reason = $"is not valid at {now:O}";
            return false;
        }

        reason = string.Empty;
        return true;
    }

    /// <summary>Whether <paramref name="issuer"/>'s key signed <paramref name="certificate"/> (its tbsCertificate, RFC 5280 §4.1.1.3).</summary>
    private static bool IsSignedBy(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        var document = new AsnReader(certificate.RawDataMemory, AsnEncodingRules.DER);
        var outer = document.ReadSequence();
        var tbsCertificate = outer.ReadEncodedValue();
        var algorithm = SignatureVerifier.ReadAlgorithm(outer);
        var signature = outer.ReadBitString(out _);
        return SignatureVerifier.Verify(tbsCertificate.Span, algorithm, signature, issuer);
    }
}
