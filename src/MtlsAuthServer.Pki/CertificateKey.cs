using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Pki;

/// <summary>A freshly generated key pair and the matching certificate-request and signature helpers.</summary>
internal static class CertificateKey
{
    public static AsymmetricAlgorithm Generate(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.EcdsaP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        KeyAlgorithm.EcdsaP384 => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        KeyAlgorithm.Rsa2048 => RSA.Create(2048),
        KeyAlgorithm.Rsa3072 => RSA.Create(3072),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown key algorithm."),
    };

    public static CertificateRequest CreateRequest(X500DistinguishedName subject, AsymmetricAlgorithm key) => key switch
    {
        ECDsa ecdsa => new CertificateRequest(subject, ecdsa, HashAlgorithmName.SHA256),
        RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        _ => throw new NotSupportedException($"Key type {key.GetType().Name} is not supported."),
    };

    public static X509SignatureGenerator CreateSignatureGenerator(X509Certificate2 issuer)
    {
        if (issuer.GetECDsaPrivateKey() is { } ecdsa)
        {
            return X509SignatureGenerator.CreateForECDsa(ecdsa);
        }

        if (issuer.GetRSAPrivateKey() is { } rsa)
        {
            return X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1);
        }

        throw new InvalidOperationException($"The issuer '{issuer.Subject}' has no usable private key.");
    }

    public static X509Certificate2 AttachPrivateKey(X509Certificate2 certificate, AsymmetricAlgorithm key)
    {
        using (certificate)
        {
            return key switch
            {
                ECDsa ecdsa => certificate.CopyWithPrivateKey(ecdsa),
                RSA rsa => certificate.CopyWithPrivateKey(rsa),
                _ => throw new NotSupportedException($"Key type {key.GetType().Name} is not supported."),
            };
        }
    }

    public static string ExportPrivateKeyPem(AsymmetricAlgorithm key) => key switch
    {
        ECDsa ecdsa => ecdsa.ExportPkcs8PrivateKeyPem(),
        RSA rsa => rsa.ExportPkcs8PrivateKeyPem(),
        _ => throw new NotSupportedException($"Key type {key.GetType().Name} is not supported."),
    };
}
