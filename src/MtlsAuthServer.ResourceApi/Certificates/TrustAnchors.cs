using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.ResourceApi.Certificates;

/// <summary>The loaded and checked trust anchors and helper intermediates. Immutable.</summary>
public sealed class TrustAnchors
{
    // Subject (DER, base64) → the key identifiers of the configured CAs of that name (null: the CA names none).
    private readonly Dictionary<string, List<byte[]?>> _authorities = new(StringComparer.Ordinal);

    private TrustAnchors(X509Certificate2Collection roots, X509Certificate2Collection intermediates)
    {
        Roots = roots;
        Intermediates = intermediates;
        foreach (var authority in roots.Concat(intermediates))
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

    public X509Certificate2Collection Roots { get; }

    public X509Certificate2Collection Intermediates { get; }

    /// <summary>Loads the bundles; throws <see cref="InvalidDataException"/> naming the configuration key on any problem.</summary>
    public static TrustAnchors Load(string rootsPath, string? intermediatesPath, string key)
    {
        var roots = new X509Certificate2Collection();
        var intermediates = new X509Certificate2Collection();
        foreach (var certificate in Read(rootsPath, $"{key}:Path"))
        {
            var selfIssued = certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);
            (selfIssued ? roots : intermediates).Add(certificate);
        }

        if (!string.IsNullOrWhiteSpace(intermediatesPath))
        {
            intermediates.AddRange(Read(intermediatesPath, $"{key}:IntermediatesPath"));
        }

        return roots.Count > 0
            ? new TrustAnchors(roots, intermediates)
            : throw new InvalidDataException($"{key}:Path: '{rootsPath}' holds no self-signed root CA certificate.");
    }

    /// <summary>
    /// True when <paramref name="certificate"/> names a configured CA as its issuer: that CA's subject, and when both
    /// carry key identifiers, its key (RFC 5280 §4.2.1.1). The chain engine then finds the issuer locally and has
    /// nothing to fetch; a chain build for any other certificate may download the issuer its AIA extension names
    /// (the certificate handler does not disable downloads), so those never reach the handler. Never throws.
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

    /// <summary>A chain policy trusting these anchors only, never downloading anything a certificate points to.</summary>
    public X509ChainPolicy CreatePolicy(string applicationPolicyOid)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            DisableCertificateDownloads = true,
            // Revocation of client certificates is enforced by the token server when it issues the (short-lived)
            // bound token; the chain here proves the presented certificate comes from a CA we trust.
            RevocationMode = X509RevocationMode.NoCheck,
            // Validity is checked by the caller with the configured clock skew and TimeProvider.
            VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreCtlNotTimeValid | X509VerificationFlags.IgnoreNotTimeNested,
        };
        policy.CustomTrustStore.AddRange(Roots);
        policy.ExtraStore.AddRange(Intermediates);
        policy.ApplicationPolicy.Add(new Oid(applicationPolicyOid));
        return policy;
    }

    private static X509Certificate2Collection Read(string path, string key)
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

        foreach (var certificate in certificates)
        {
            if (certificate.HasPrivateKey)
            {
                throw new InvalidDataException($"{key}: '{path}' must not contain private keys.");
            }

            if (certificate.Extensions[Oids.BasicConstraints] is not X509BasicConstraintsExtension { CertificateAuthority: true })
            {
                throw new InvalidDataException($"{key}: '{certificate.Subject}' in '{path}' is not a CA certificate.");
            }
        }

        return certificates.Count > 0 ? certificates : throw new InvalidDataException($"{key}: '{path}' holds no certificate.");
    }
}
