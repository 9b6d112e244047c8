using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Pki;

/// <summary>
/// One loaded, checked set of trust anchors (self-signed roots) and helper intermediates, for every host: the token
/// server (replaced as a whole on hot reload), the resource API (caller certificates, the token server's certificate).
/// Immutable. Chain policies on it are built by <see cref="ConfigurePolicy"/> only: custom root trust in these
/// anchors, no downloads of URLs a certificate names, no revocation or time checks inside the chain engine.
/// </summary>
public sealed class TrustBundle
{
    private const X509VerificationFlags IgnoreTime = X509VerificationFlags.IgnoreNotTimeValid
        | X509VerificationFlags.IgnoreCtlNotTimeValid
        | X509VerificationFlags.IgnoreNotTimeNested;

    // Subject (DER, base64) → the key identifiers of the configured CAs of that name (null: the CA names none).
    private readonly Dictionary<string, List<byte[]?>> _authorities = new(StringComparer.Ordinal);

    private TrustBundle(X509Certificate2Collection anchors, X509Certificate2Collection intermediates)
    {
        Anchors = anchors;
        Intermediates = intermediates;
        foreach (var authority in anchors.Concat(intermediates))
        {
            var name = Convert.ToBase64String(authority.SubjectName.RawData);
            var keyId = authority.Extensions[Oids.SubjectKeyIdentifier] is X509SubjectKeyIdentifierExtension ski ? ski.SubjectKeyIdentifierBytes.ToArray() : null;
            if (!_authorities.TryGetValue(name, out var keyIds))
            {
                _authorities[name] = keyIds = [];
            }

            keyIds.Add(keyId);
        }
    }

    public X509Certificate2Collection Anchors { get; }

    public X509Certificate2Collection Intermediates { get; }

    /// <summary>
    /// Loads and checks the PEM bundles: each holds at least one certificate, no private key, only CA certificates
    /// allowed to sign certificates; the self-signed ones of <paramref name="anchorsPath"/> are the anchors, the others
    /// helpers. Throws <see cref="InvalidDataException"/> naming the configuration key on any problem.
    /// </summary>
    public static TrustBundle Load(string? anchorsPath, string anchorsKey, string? intermediatesPath = null, string? intermediatesKey = null)
    {
        var anchors = new X509Certificate2Collection();
        var intermediates = new X509Certificate2Collection();
        foreach (var certificate in ReadBundle(anchorsPath, anchorsKey))
        {
            (IsSelfIssued(certificate) ? anchors : intermediates).Add(certificate);
        }

        if (!string.IsNullOrWhiteSpace(intermediatesPath))
        {
            intermediates.AddRange(ReadBundle(intermediatesPath, intermediatesKey ?? anchorsKey));
        }

        return anchors.Count > 0
            ? new TrustBundle(anchors, intermediates)
            : throw new InvalidDataException($"{anchorsKey}: '{anchorsPath}' holds no self-signed root CA certificate.");
    }

    public static bool IsSelfIssued(X509Certificate2 certificate) =>
        certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);

    /// <summary>Whether <paramref name="candidate"/> is one of the configured certificates (same DER).</summary>
    public bool Contains(X509Certificate2 candidate)
    {
        var raw = candidate.RawDataMemory.Span;
        foreach (var known in Intermediates)
        {
            if (raw.SequenceEqual(known.RawDataMemory.Span))
            {
                return true;
            }
        }

        foreach (var known in Anchors)
        {
            if (raw.SequenceEqual(known.RawDataMemory.Span))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when <paramref name="certificate"/> names a configured CA as its issuer: that CA's subject, and when both
    /// carry key identifiers, its key (RFC 5280 §4.2.1.1). The chain engine then finds the issuer locally and has
    /// nothing to fetch; a chain build for any other certificate may download the issuer its AIA extension names
    /// (where downloads are not disabled, as in the certificate handler). Never throws.
    /// </summary>
    public bool NamesConfiguredIssuer(X509Certificate2 certificate)
    {
        try
        {
            if (!_authorities.TryGetValue(Convert.ToBase64String(certificate.IssuerName.RawData), out var keyIds))
            {
                return false;
            }

            var authorityKeyId = certificate.Extensions[Oids.AuthorityKeyIdentifier] switch
            {
                null => null,
                X509AuthorityKeyIdentifierExtension typed => typed.KeyIdentifier,
                var raw => new X509AuthorityKeyIdentifierExtension(raw.RawData, raw.Critical).KeyIdentifier,
            };
            return authorityKeyId is not { } wanted || keyIds.Any(keyId => keyId is null || wanted.Span.SequenceEqual(keyId));
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>A chain policy on this bundle for <paramref name="applicationPolicyOid"/> (see <see cref="ConfigurePolicy"/>).</summary>
    public X509ChainPolicy CreatePolicy(string applicationPolicyOid)
    {
        var policy = new X509ChainPolicy();
        ConfigurePolicy(policy, applicationPolicyOid);
        return policy;
    }

    /// <summary>
    /// Custom root trust in <see cref="Anchors"/> only (never the OS store), <see cref="Intermediates"/> as helpers, the
    /// application policy, no downloads of URLs named by the certificate being checked, and no revocation or time
    /// checks inside the chain engine: the callers check those with their own fetching, caching, clock and skew.
    /// </summary>
    public void ConfigurePolicy(X509ChainPolicy policy, string applicationPolicyOid)
    {
        ArgumentNullException.ThrowIfNull(policy);
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.Clear();
        policy.CustomTrustStore.AddRange(Anchors);
        policy.ExtraStore.Clear();
        policy.ExtraStore.AddRange(Intermediates);
        if (!policy.ApplicationPolicy.Cast<Oid>().Any(oid => oid.Value == applicationPolicyOid))
        {
            policy.ApplicationPolicy.Add(new Oid(applicationPolicyOid));
        }

        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationFlags = IgnoreTime;
    }

    /// <summary>What a policy without a trust bundle (self-signed clients) keeps of <see cref="ConfigurePolicy"/>.</summary>
    public static void ConfigureWithoutAnchors(X509ChainPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationFlags = IgnoreTime;
    }

    private static X509Certificate2Collection ReadBundle(string? path, string key)
    {
        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
        {
            throw new InvalidDataException($"{key}: file '{path}' does not exist.");
        }

        X509Certificate2Collection certificates;
        try
        {
            certificates = PemFiles.ReadCertificates(path);
        }
        catch (CryptographicException exception)
        {
            throw new InvalidDataException($"{key}: '{path}' is not a PEM certificate bundle: {exception.Message}", exception);
        }

        if (certificates.Count == 0)
        {
            throw new InvalidDataException($"{key}: '{path}' holds no certificate.");
        }

        foreach (var certificate in certificates)
        {
            if (certificate.HasPrivateKey)
            {
                throw new InvalidDataException($"{key}: '{path}' must not contain private keys.");
            }

            var isCa = certificate.Extensions[Oids.BasicConstraints] is X509BasicConstraintsExtension { CertificateAuthority: true };
            var canSign = certificate.Extensions[Oids.KeyUsage] is not X509KeyUsageExtension usage
                || usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign);
            if (!isCa || !canSign)
            {
                throw new InvalidDataException($"{key}: '{certificate.Subject}' in '{path}' is not a CA certificate allowed to sign certificates.");
            }
        }

        return certificates;
    }
}
