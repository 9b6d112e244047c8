using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Pki;

/// <summary>
/// A certificate with its private key and the intermediates stored after it in the same file (sent with it in a TLS
/// handshake): a host's server certificate, the resource API's introspection client certificate. The caller owns them.
/// </summary>
public sealed record CertificateWithKey(X509Certificate2 Leaf, X509Certificate2Collection Intermediates)
{
    /// <summary>
    /// Loads a PFX/PKCS#12 file (<c>.pfx</c>, <c>.p12</c>; the first certificate with a key is the leaf) or a PEM
    /// certificate (leaf first, then its intermediates) with its PEM key, encrypted when <paramref name="password"/> is set.
    /// Throws <see cref="InvalidDataException"/> naming <c>{key}:Path</c> or <c>{key}:KeyPath</c> on any problem.
    /// </summary>
    public static CertificateWithKey Load(string? path, string? keyPath, string? password, string key)
    {
        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
        {
            throw new InvalidDataException($"{key}:Path: file '{path}' does not exist.");
        }

        try
        {
            var extension = Path.GetExtension(path);
            if (extension.Equals(".pfx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".p12", StringComparison.OrdinalIgnoreCase))
            {
                var all = X509CertificateLoader.LoadPkcs12CollectionFromFile(path, password);
                var leaf = all.FirstOrDefault(c => c.HasPrivateKey)
                    ?? throw new InvalidDataException($"{key}:Path: '{path}' holds no certificate with a private key.");
                return new CertificateWithKey(leaf, [.. all.Where(c => !ReferenceEquals(c, leaf))]);
            }

            if (string.IsNullOrWhiteSpace(keyPath) || !File.Exists(keyPath))
            {
                throw new InvalidDataException($"{key}:KeyPath: file '{keyPath}' does not exist.");
            }

            var certificate = string.IsNullOrEmpty(password)
                ? X509Certificate2.CreateFromPemFile(path, keyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath);
            var intermediates = new X509Certificate2Collection();
            foreach (var candidate in PemFiles.ReadCertificates(path))
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

            return new CertificateWithKey(certificate, intermediates);
        }
        catch (CryptographicException exception)
        {
            throw new InvalidDataException($"{key}: could not load '{path}': {exception.Message}", exception);
        }
    }
}
