using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Tests.Infrastructure;

/// <summary>A client certificate and the intermediates it sends, minted with a weak algorithm somewhere in the path.</summary>
public sealed class WeakPath(X509Certificate2 leaf, params X509Certificate2[] intermediates) : IDisposable
{
    public X509Certificate2 Leaf { get; } = leaf;

    public X509Certificate2[] Intermediates { get; } = intermediates;

    public void Dispose()
    {
        Leaf.Dispose();
        foreach (var intermediate in Intermediates)
        {
            intermediate.Dispose();
        }
    }
}

/// <summary>
/// Mints, from a test PKI's trusted root or issuing CA, the weak paths the server must refuse: SHA-1 or MD5 signatures,
/// RSA-1024 keys, EC keys on curves below P-256 — in the leaf or in an intermediate the client sends. The product PKI
/// (<see cref="CertificateAuthority"/>) can't make them, so this uses <see cref="CertificateRequest"/> directly.
/// </summary>
public static class WeakCertificates
{
    public const string Sha1Leaf = "SHA-1-signed leaf";
    public const string Sha1Intermediate = "SHA-1-signed intermediate";
    public const string Md5Leaf = "MD5-signed leaf";
    public const string Rsa1024Leaf = "RSA-1024 leaf";
    public const string Rsa1024Intermediate = "RSA-1024 intermediate";
    public const string P192Leaf = "EC P-192 leaf";
    public const string Secp256k1Leaf = "EC secp256k1 leaf";

    public static WeakPath Mint(TestPki pki, string weakness, string subjectDn)
    {
        var issuing = pki.Issuing.Certificate;
        var root = pki.Root.Certificate;
        switch (weakness)
        {
            case Sha1Leaf:
                return new WeakPath(Issue(issuing, subjectDn, ECDsa.Create(ECCurve.NamedCurves.nistP256), HashAlgorithmName.SHA1));
            case Md5Leaf:
                // md5WithRSAEncryption needs an RSA issuer: a sound RSA intermediate under the trusted root.
                var rsaCa = Issue(root, "CN=Test RSA Issuing CA, O=Test Org", RSA.Create(2048), HashAlgorithmName.SHA256, ca: true);
                return new WeakPath(Issue(rsaCa, subjectDn, ECDsa.Create(ECCurve.NamedCurves.nistP256), HashAlgorithmName.MD5), rsaCa);
            case Rsa1024Leaf:
                return new WeakPath(Issue(issuing, subjectDn, RSA.Create(1024), HashAlgorithmName.SHA256));
            case P192Leaf:
                return new WeakPath(Issue(issuing, subjectDn, ECDsa.Create(ECCurve.CreateFromValue("1.2.840.10045.3.1.1")), HashAlgorithmName.SHA256));
            case Secp256k1Leaf:
                return new WeakPath(Issue(issuing, subjectDn, ECDsa.Create(ECCurve.CreateFromValue("1.3.132.0.10")), HashAlgorithmName.SHA256));
            case Sha1Intermediate or Rsa1024Intermediate:
                using (AsymmetricAlgorithm caKey = weakness == Sha1Intermediate ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : RSA.Create(1024))
                {
                    var hash = weakness == Sha1Intermediate ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
                    var intermediate = Issue(root, "CN=Test Weak Issuing CA, O=Test Org", caKey, hash, ca: true);
                    return new WeakPath(Issue(intermediate, subjectDn, ECDsa.Create(ECCurve.NamedCurves.nistP256), HashAlgorithmName.SHA256), intermediate);
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(weakness), weakness, "unknown weakness");
        }
    }

    /// <summary>A self-signed client certificate (<c>self_signed_tls_client_auth</c>) with an RSA-1024 key, written as PEM.</summary>
    public static (X509Certificate2 Certificate, string PemPath) SelfSignedRsa1024(TestPki pki, string subjectDn, string fileName)
    {
        using var key = RSA.Create(1024);
        var request = LeafRequest(subjectDn, key, HashAlgorithmName.SHA256);
        var certificate = request.CreateSelfSigned(TestPki.Now.AddDays(-1), TestPki.Now.AddDays(30));
        var path = Path.Combine(pki.Folder, fileName);
        PemFiles.WriteCertificates(path, certificate);
        return (certificate, path);
    }

    /// <summary>A leaf with an RSA key of <paramref name="bits"/> from the issuing CA (sound algorithms otherwise).</summary>
    public static X509Certificate2 RsaLeaf(TestPki pki, string subjectDn, int bits) =>
        Issue(pki.Issuing.Certificate, subjectDn, RSA.Create(bits), HashAlgorithmName.SHA256);

    /// <summary>Signs a certificate for <paramref name="key"/> (disposed here) by <paramref name="issuer"/> with <paramref name="hash"/>.</summary>
    private static X509Certificate2 Issue(X509Certificate2 issuer, string subjectDn, AsymmetricAlgorithm key, HashAlgorithmName hash, bool ca = false)
    {
        using (key)
        {
            var request = ca ? CaRequest(subjectDn, key, hash) : LeafRequest(subjectDn, key, hash);
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
            var serial = RandomNumberGenerator.GetBytes(16);
            serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
            using var certificate = request.Create(issuer.SubjectName, Generator(issuer, hash), TestPki.Now.AddDays(-1), TestPki.Now.AddDays(30), serial);
            return key switch
            {
                ECDsa ecdsa => certificate.CopyWithPrivateKey(ecdsa),
                RSA rsa => certificate.CopyWithPrivateKey(rsa),
                _ => throw new NotSupportedException(key.GetType().Name),
            };
        }
    }

    private static CertificateRequest LeafRequest(string subjectDn, AsymmetricAlgorithm key, HashAlgorithmName hash)
    {
        var request = Request(subjectDn, key, hash);
        request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForEndEntity(critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(Oids.ClientAuthentication)], critical: false));
        return request;
    }

    private static CertificateRequest CaRequest(string subjectDn, AsymmetricAlgorithm key, HashAlgorithmName hash)
    {
        var request = Request(subjectDn, key, hash);
        request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForCertificateAuthority(0));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        return request;
    }

    private static CertificateRequest Request(string subjectDn, AsymmetricAlgorithm key, HashAlgorithmName hash)
    {
        var request = key switch
        {
            ECDsa ecdsa => new CertificateRequest(subjectDn, ecdsa, hash),
            RSA rsa => new CertificateRequest(subjectDn, rsa, hash, RSASignaturePadding.Pkcs1),
            _ => throw new NotSupportedException(key.GetType().Name),
        };
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request;
    }

    private static X509SignatureGenerator Generator(X509Certificate2 issuer, HashAlgorithmName hash)
    {
        AsymmetricAlgorithm key = (AsymmetricAlgorithm?)issuer.GetECDsaPrivateKey() ?? issuer.GetRSAPrivateKey()
            ?? throw new InvalidOperationException($"'{issuer.Subject}' has no private key");
        return (key, hash.Name) switch
        {
            (ECDsa, "SHA1") => new LegacySignatureGenerator(key, "1.2.840.10045.4.1", hash), // ecdsa-with-SHA1
            (RSA, "SHA1") => new LegacySignatureGenerator(key, "1.2.840.113549.1.1.5", hash), // sha1WithRSAEncryption
            (RSA, "MD5") => new LegacySignatureGenerator(key, "1.2.840.113549.1.1.4", hash), // md5WithRSAEncryption
            (ECDsa ecdsa, _) => X509SignatureGenerator.CreateForECDsa(ecdsa),
            (RSA rsa, _) => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
            _ => throw new NotSupportedException(key.GetType().Name),
        };
    }

    /// <summary>The RFC 3279 §2.2 signatures (SHA-1, MD5) that .NET's own generators refuse to produce.</summary>
    private sealed class LegacySignatureGenerator(AsymmetricAlgorithm key, string oid, HashAlgorithmName hash) : X509SignatureGenerator
    {
        public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm)
        {
            var writer = new AsnWriter(AsnEncodingRules.DER);
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(oid);
                if (key is RSA)
                {
                    writer.WriteNull(); // RSA algorithm identifiers carry NULL parameters; ECDSA ones none (RFC 3279 §2.2.1, §2.2.3).
                }
            }

            return writer.Encode();
        }

        public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm) => key switch
        {
            RSA rsa => rsa.SignData(data, hash, RSASignaturePadding.Pkcs1),
            ECDsa ecdsa => ecdsa.SignData(data, hash, DSASignatureFormat.Rfc3279DerSequence),
            _ => throw new NotSupportedException(key.GetType().Name),
        };

        protected override PublicKey BuildPublicKey() => key switch
        {
            RSA rsa => new PublicKey(rsa),
            ECDsa ecdsa => new PublicKey(ecdsa),
            _ => throw new NotSupportedException(key.GetType().Name),
        };
    }
}
