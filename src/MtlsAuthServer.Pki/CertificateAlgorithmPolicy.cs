using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Pki;

/// <summary>What the policy found wrong with a certificate path: a weak algorithm, or data it could not read.</summary>
public enum AlgorithmFinding
{
    Weak,
    Malformed,
}

/// <summary>
/// The algorithms a client certificate path may use (BCP 195 / RFC 9325 §4.2, NIST SP 800-131A): every signature
/// below the anchor made with SHA-256 or stronger (no MD5, no SHA-1: collisions forge a CA-signed certificate), every
/// key — the anchor's too, since it signs the first intermediate — RSA of at least <see cref="MinimumRsaKeyBits"/>
/// or EC on a named NIST curve of at least <see cref="MinimumEcCurveBits"/>. An allow-list: an algorithm not named
/// here (DSA, explicit curve parameters, SHA-224, unknown OIDs) is weak. Reads only the DER it is given and never
/// throws: what it cannot parse is <see cref="AlgorithmFinding.Malformed"/>.
/// </summary>
public sealed class CertificateAlgorithmPolicy
{
    /// <summary>The lowest values configuration may set: minimums can be raised, never lowered.</summary>
    public const int FloorRsaKeyBits = 2048;

    public const int FloorEcCurveBits = 256;

    private const int MaxRsaKeyBits = 16384;

    private const string RsaKey = "1.2.840.113549.1.1.1";
    private const string EcKey = "1.2.840.10045.2.1";
    private const string RsaPss = "1.2.840.113549.1.1.10";

    private static readonly Dictionary<string, int> NamedCurves = new(StringComparer.Ordinal)
    {
        ["1.2.840.10045.3.1.7"] = 256, // P-256
        ["1.3.132.0.34"] = 384, // P-384
        ["1.3.132.0.35"] = 521, // P-521
    };

    private static readonly HashSet<string> StrongSignatures = new(StringComparer.Ordinal)
    {
        "1.2.840.113549.1.1.11", // sha256WithRSAEncryption
        "1.2.840.113549.1.1.12", // sha384WithRSAEncryption
        "1.2.840.113549.1.1.13", // sha512WithRSAEncryption
        "1.2.840.10045.4.3.2", // ecdsa-with-SHA256
        "1.2.840.10045.4.3.3", // ecdsa-with-SHA384
        "1.2.840.10045.4.3.4", // ecdsa-with-SHA512
    };

    private static readonly HashSet<string> StrongPssHashes = new(StringComparer.Ordinal)
    {
        "2.16.840.1.101.3.4.2.1", "2.16.840.1.101.3.4.2.2", "2.16.840.1.101.3.4.2.3", // SHA-256, SHA-384, SHA-512
    };

    private static readonly Dictionary<string, string> WeakSignatureNames = new(StringComparer.Ordinal)
    {
        ["1.2.840.113549.1.1.4"] = "md5WithRSAEncryption",
        ["1.2.840.113549.1.1.2"] = "md2WithRSAEncryption",
        ["1.2.840.113549.1.1.5"] = "sha1WithRSAEncryption",
        ["1.2.840.10045.4.1"] = "ecdsa-with-SHA1",
        ["1.2.840.10040.4.3"] = "dsa-with-SHA1",
    };

    public CertificateAlgorithmPolicy(int minimumRsaKeyBits = FloorRsaKeyBits, int minimumEcCurveBits = FloorEcCurveBits)
    {
        var errors = ConfigurationErrors(minimumRsaKeyBits, minimumEcCurveBits, nameof(CertificateAlgorithmPolicy));
        if (errors.Count > 0)
        {
            throw new ArgumentOutOfRangeException(nameof(minimumRsaKeyBits), string.Join(" ", errors));
        }

        MinimumRsaKeyBits = minimumRsaKeyBits;
        MinimumEcCurveBits = minimumEcCurveBits;
    }

    public int MinimumRsaKeyBits { get; }

    public int MinimumEcCurveBits { get; }

    /// <summary>
    /// The configuration errors of these minimums, each naming its key under <paramref name="section"/>
    /// (e.g. <c>ClientCertificates:MinimumRsaKeyBits</c>); empty when they are usable.
    /// </summary>
    public static IReadOnlyList<string> ConfigurationErrors(int minimumRsaKeyBits, int minimumEcCurveBits, string section)
    {
        var errors = new List<string>();
        if (minimumRsaKeyBits is < FloorRsaKeyBits or > MaxRsaKeyBits)
        {
            errors.Add($"{section}:MinimumRsaKeyBits: {minimumRsaKeyBits} is outside {FloorRsaKeyBits}..{MaxRsaKeyBits}; "
                + $"RSA keys below {FloorRsaKeyBits} bits are never accepted (RFC 9325 §4.2), the minimum can only be raised.");
        }

        if (minimumEcCurveBits is not (256 or 384 or 521))
        {
            errors.Add($"{section}:MinimumEcCurveBits: {minimumEcCurveBits} is not 256, 384 or 521 (P-256, P-384, P-521); "
                + "curves below P-256 are never accepted, the minimum can only be raised.");
        }

        return errors;
    }

    /// <summary>
    /// Judges a path leaf first. With <paramref name="lastIsAnchor"/> the last element is the configured trust
    /// anchor: its key is judged (it signed the next certificate) but not its self-signature, which nothing relies on.
    /// A registered self-signed certificate is judged whole (<paramref name="lastIsAnchor"/> false).
    /// </summary>
    /// <returns>Null when every certificate passes; else the first finding and a detail naming the certificate.</returns>
    public (AlgorithmFinding Finding, string Detail)? Judge(IReadOnlyList<X509Certificate2> path, bool lastIsAnchor)
    {
        for (var i = 0; i < path.Count; i++)
        {
            var role = i == 0 ? "certificate" : lastIsAnchor && i == path.Count - 1 ? $"anchor '{path[i].Subject}'" : $"issuer '{path[i].Subject}'";
            var judgeSignature = !(lastIsAnchor && i == path.Count - 1);
            var finding = JudgeOne(path[i], judgeSignature);
            if (finding is { } found)
            {
                return (found.Finding, $"{role}: {found.Detail}");
            }
        }

        return null;
    }

    /// <summary>A short description of what passed, for the diagnosis.</summary>
    public static string Describe(X509Certificate2 certificate)
    {
        try
        {
            return $"{KeyDescription(certificate.PublicKey)}, signed {SignatureName(ReadSignatureAlgorithm(certificate.RawData).Oid)}";
        }
        catch (Exception exception) when (exception is CryptographicException or AsnContentException)
        {
            return "unreadable";
        }
    }

    private (AlgorithmFinding Finding, string Detail)? JudgeOne(X509Certificate2 certificate, bool judgeSignature)
    {
        try
        {
            if (judgeSignature && JudgeSignature(certificate.RawData) is { } weakSignature)
            {
                return (AlgorithmFinding.Weak, weakSignature);
            }

            return JudgeKey(certificate.PublicKey) is { } weakKey ? (AlgorithmFinding.Weak, weakKey) : null;
        }
        catch (Exception exception) when (exception is CryptographicException or AsnContentException)
        {
            return (AlgorithmFinding.Malformed, $"the key or signature algorithm cannot be decoded: {exception.Message}");
        }
    }

    /// <summary>The outer signatureAlgorithm of the certificate (RFC 5280 §4.1.1.2), read from the DER.</summary>
    private static (string Oid, ReadOnlyMemory<byte>? Parameters) ReadSignatureAlgorithm(byte[] der)
    {
        var certificate = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        certificate.ReadEncodedValue(); // tbsCertificate
        var algorithm = certificate.ReadSequence();
        var oid = algorithm.ReadObjectIdentifier();
        return (oid, algorithm.HasData ? algorithm.ReadEncodedValue() : null);
    }

    private static string? JudgeSignature(byte[] der)
    {
        var (oid, parameters) = ReadSignatureAlgorithm(der);
        if (StrongSignatures.Contains(oid))
        {
            return null;
        }

        if (oid == RsaPss)
        {
            var hash = PssHash(parameters);
            return StrongPssHashes.Contains(hash) ? null : $"signed with RSASSA-PSS over hash {hash}, weaker than SHA-256";
        }

        return $"signed with {SignatureName(oid)}, not an allowed signature algorithm (SHA-256 or stronger)";
    }

    /// <summary>RFC 4055 §3.1: RSASSA-PSS-params; an absent hashAlgorithm means SHA-1.</summary>
    private static string PssHash(ReadOnlyMemory<byte>? parameters)
    {
        const string sha1 = "1.3.14.3.2.26";
        if (parameters is null)
        {
            return sha1;
        }

        var sequence = new AsnReader(parameters.Value, AsnEncodingRules.DER).ReadSequence();
        var hashTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
        if (!sequence.HasData || !sequence.PeekTag().HasSameClassAndValue(hashTag))
        {
            return sha1;
        }

        return sequence.ReadSequence(hashTag).ReadSequence().ReadObjectIdentifier();
    }

    private string? JudgeKey(PublicKey key)
    {
        switch (key.Oid.Value)
        {
            case RsaKey:
                var bits = RsaModulusBits(key.EncodedKeyValue.RawData);
                return bits >= MinimumRsaKeyBits ? null : $"RSA key of {bits} bits, below the minimum of {MinimumRsaKeyBits}";
            case EcKey:
                var curve = EcCurve(key.EncodedParameters);
                if (curve is null || !NamedCurves.TryGetValue(curve, out var curveBits))
                {
                    return $"EC key on {curve ?? "explicit or absent curve parameters"}, not a named curve P-256, P-384 or P-521";
                }

                return curveBits >= MinimumEcCurveBits ? null : $"EC key on a {curveBits}-bit curve, below the minimum of {MinimumEcCurveBits}";
            default:
                return $"key algorithm {key.Oid.FriendlyName ?? key.Oid.Value} is not allowed (RSA or EC only)";
        }
    }

    /// <summary>RFC 8017 §A.1.1 RSAPublicKey: the modulus' length in bits.</summary>
    private static int RsaModulusBits(byte[] der)
    {
        var sequence = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var modulus = sequence.ReadIntegerBytes().Span;
        while (modulus.Length > 0 && modulus[0] == 0)
        {
            modulus = modulus[1..];
        }

        return modulus.Length == 0 ? 0 : ((modulus.Length - 1) * 8) + (32 - int.LeadingZeroCount(modulus[0]));
    }

    /// <summary>RFC 5480 §2.1.1 ECParameters: the named curve's OID, or null for explicit (or absent) parameters.</summary>
    private static string? EcCurve(AsnEncodedData? parameters)
    {
        if (parameters is null)
        {
            return null;
        }

        var reader = new AsnReader(parameters.RawData, AsnEncodingRules.DER);
        return reader.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier) ? reader.ReadObjectIdentifier() : null;
    }

    private static string KeyDescription(PublicKey key) => key.Oid.Value switch
    {
        RsaKey => $"RSA {RsaModulusBits(key.EncodedKeyValue.RawData)}",
        EcKey => EcCurve(key.EncodedParameters) is { } curve && NamedCurves.TryGetValue(curve, out var bits) ? $"EC P-{bits}" : "EC",
        _ => key.Oid.Value ?? "unknown key",
    };

    private static string SignatureName(string oid) =>
        WeakSignatureNames.TryGetValue(oid, out var name) ? name : new Oid(oid).FriendlyName ?? oid;
}
