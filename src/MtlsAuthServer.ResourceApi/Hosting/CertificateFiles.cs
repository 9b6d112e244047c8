using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.ResourceApi.Hosting;

/// <summary>Loads a certificate with its private key (and the intermediates stored with it) from PEM or PFX files.</summary>
public static class CertificateFiles
{
    public static (X509Certificate2 Leaf, X509Certificate2Collection Intermediates) LoadWithKey(
        IHostEnvironment environment, string? path, string? keyPath, string? password, string key)
    {
        var certificatePath = ConfiguredPath.RequireFile(environment, path, $"{key}:Path");
        try
        {
            var extension = Path.GetExtension(certificatePath);
            if (extension.Equals(".pfx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".p12", StringComparison.OrdinalIgnoreCase))
            {
                var all = X509CertificateLoader.LoadPkcs12CollectionFromFile(certificatePath, password);
                var leaf = all.FirstOrDefault(c => c.HasPrivateKey)
                    ?? throw new InvalidDataException($"{key}:Path: '{certificatePath}' holds no certificate with a private key.");
                return (leaf, [.. all.Where(c => !ReferenceEquals(c, leaf))]);
            }

            var privateKeyPath = ConfiguredPath.RequireFile(environment, keyPath, $"{key}:KeyPath");
            var certificate = string.IsNullOrEmpty(password)
                ? X509Certificate2.CreateFromPemFile(certificatePath, privateKeyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(certificatePath, password, privateKeyPath);
            var bundle = new X509Certificate2Collection();
            bundle.ImportFromPemFile(certificatePath);
            var intermediates = new X509Certificate2Collection();
            foreach (var candidate in bundle)
            {
                if (candidate.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span))
                {
                    candidate.Dispose();
                }
                else
                {
                    intermediates.Add(candidate);
                }
            }

            return (certificate, intermediates);
        }
        catch (CryptographicException exception)
        {
            throw new InvalidDataException($"{key}: could not load '{certificatePath}': {exception.Message}", exception);
        }
    }
}
