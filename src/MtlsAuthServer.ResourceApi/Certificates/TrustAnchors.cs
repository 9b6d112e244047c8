using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.ResourceApi.Certificates;

/// <summary>The loaded and checked trust anchors and helper intermediates. Immutable.</summary>
public sealed class TrustAnchors
{
    private TrustAnchors(X509Certificate2Collection roots, X509Certificate2Collection intermediates)
    {
        Roots = roots;
        Intermediates = intermediates;
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
