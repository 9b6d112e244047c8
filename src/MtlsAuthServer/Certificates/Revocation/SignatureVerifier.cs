using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>Verifies the signature over a CRL's or an OCSP response's to-be-signed bytes with a certificate's public key.</summary>
internal static class SignatureVerifier
{
    public static bool Verify(ReadOnlySpan<byte> signed, string algorithmOid, ReadOnlySpan<byte> signature, X509Certificate2 signer)
    {
        try
        {
            switch (algorithmOid)
            {
                case "1.2.840.10045.4.3.2":
                case "1.2.840.10045.4.3.3":
                case "1.2.840.10045.4.3.4":
                    using (var ecdsa = signer.GetECDsaPublicKey())
                    {
                        return ecdsa is not null
                            && ecdsa.VerifyData(signed, signature, EcdsaHash(algorithmOid), DSASignatureFormat.Rfc3279DerSequence);
                    }

                case "1.2.840.113549.1.1.11":
                case "1.2.840.113549.1.1.12":
                case "1.2.840.113549.1.1.13":
                    using (var rsa = signer.GetRSAPublicKey())
                    {
                        return rsa is not null
                            && rsa.VerifyData(signed, signature, RsaHash(algorithmOid), RSASignaturePadding.Pkcs1);
                    }

                default:
                    // SHA-1, PSS with parameters, and anything else: not accepted rather than half-supported.
                    return false;
            }
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Reads an AlgorithmIdentifier and returns its OID (parameters are skipped).</summary>
    public static string ReadAlgorithm(AsnReader reader)
    {
        var algorithm = reader.ReadSequence();
        var oid = algorithm.ReadObjectIdentifier();
        if (algorithm.HasData)
        {
            algorithm.ReadEncodedValue();
        }

        return oid;
    }

    private static HashAlgorithmName EcdsaHash(string oid) => oid switch
    {
        "1.2.840.10045.4.3.2" => HashAlgorithmName.SHA256,
        "1.2.840.10045.4.3.3" => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };

    private static HashAlgorithmName RsaHash(string oid) => oid switch
    {
        "1.2.840.113549.1.1.11" => HashAlgorithmName.SHA256,
        "1.2.840.113549.1.1.12" => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };
}
