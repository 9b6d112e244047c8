using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Tests.Revocation.Hostile;

/// <summary>
/// Signs to-be-signed DER with a certificate's private key and names the algorithm, as CRLs (RFC 5280 §5.1.1.2)
/// and BasicOCSPResponses (RFC 6960 §4.2.1) both carry it: an AlgorithmIdentifier, then a BIT STRING.
/// </summary>
internal static class DerSignature
{
    /// <summary>ecdsa-with-SHA256 (RFC 5758 §3.2): parameters MUST be absent.</summary>
    public const string EcdsaWithSha256 = "1.2.840.10045.4.3.2";

    /// <summary>sha256WithRSAEncryption (RFC 4055 §5): parameters MUST be NULL.</summary>
    public const string Sha256WithRsa = "1.2.840.113549.1.1.11";

    public static void WriteAlgorithmIdentifier(AsnWriter writer, X509Certificate2 signer)
    {
        var isEcdsa = IsEcdsa(signer);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(isEcdsa ? EcdsaWithSha256 : Sha256WithRsa);
            if (!isEcdsa)
            {
                writer.WriteNull();
            }
        }
    }

    /// <summary>The signature value: DER Ecdsa-Sig-Value (RFC 3279 §2.2.3) or a PKCS#1 v1.5 block (RFC 8017 §8.2).</summary>
    public static byte[] Sign(ReadOnlySpan<byte> toBeSigned, X509Certificate2 signer)
    {
        using var ecdsa = signer.GetECDsaPrivateKey();
        if (ecdsa is not null)
        {
            return ecdsa.SignData(toBeSigned, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }

        using var rsa = signer.GetRSAPrivateKey()
            ?? throw new InvalidOperationException($"'{signer.Subject}' has no ECDSA or RSA private key to sign with.");
        return rsa.SignData(toBeSigned, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    /// <summary>Writes <c>signatureAlgorithm, signatureValue</c> after a to-be-signed structure; optionally with one bit flipped.</summary>
    public static void WriteSignatureFields(AsnWriter writer, ReadOnlySpan<byte> toBeSigned, X509Certificate2 signer, bool corrupt)
    {
        WriteAlgorithmIdentifier(writer, signer);
        var signature = Sign(toBeSigned, signer);
        if (corrupt)
        {
            // The last octet is an ECDSA s (or RSA block) byte, so the value stays well-formed but does not verify.
            signature[^1] ^= 0x01;
        }

        writer.WriteBitString(signature);
    }

    private static bool IsEcdsa(X509Certificate2 signer)
    {
        using var ecdsa = signer.GetECDsaPublicKey();
        return ecdsa is not null;
    }
}
