using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Certificates;

/// <summary>One loaded, checked set of trust anchors and helper intermediates. Immutable; replaced as a whole.</summary>
public sealed class TrustMaterial
{
    private TrustMaterial(X509Certificate2Collection anchors, X509Certificate2Collection intermediates)
    {
        Anchors = anchors;
        Intermediates = intermediates;
    }

    public X509Certificate2Collection Anchors { get; }

    public X509Certificate2Collection Intermediates { get; }

    /// <summary>Loads and checks the bundles; throws <see cref="InvalidDataException"/> naming the configuration key on any problem.</summary>
    public static TrustMaterial Load(TrustAnchorOptions options)
    {
        var anchors = new X509Certificate2Collection();
        var intermediates = new X509Certificate2Collection();
        foreach (var certificate in ReadBundle(options.Path, $"{TrustAnchorOptions.Section}:Path"))
        {
            (IsSelfIssued(certificate) ? anchors : intermediates).Add(certificate);
        }

        if (!string.IsNullOrWhiteSpace(options.IntermediatesPath))
        {
            intermediates.AddRange(ReadBundle(options.IntermediatesPath, $"{TrustAnchorOptions.Section}:IntermediatesPath"));
        }

        if (anchors.Count == 0)
        {
            throw new InvalidDataException($"{TrustAnchorOptions.Section}:Path '{options.Path}' holds no self-signed root CA certificate.");
        }

        return new TrustMaterial(anchors, intermediates);
    }

    public static bool IsSelfIssued(X509Certificate2 certificate) =>
        certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);

    private static X509Certificate2Collection ReadBundle(string path, string key)
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
        catch (System.Security.Cryptography.CryptographicException exception)
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
