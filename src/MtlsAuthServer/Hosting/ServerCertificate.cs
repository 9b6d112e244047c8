using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Hosting;

/// <summary>A server certificate with its private key and the intermediates sent with it in the handshake.</summary>
public sealed record ServerCertificate(X509Certificate2 Leaf, X509Certificate2Collection Intermediates)
{
    /// <summary>Loads and checks the configured files; the message names the configuration key on failure.</summary>
    public static ServerCertificate Load(ServerCertificateOptions options)
    {
        const string key = ServerCertificateOptions.Section;
        if (string.IsNullOrWhiteSpace(options.Path) || !File.Exists(options.Path))
        {
            throw new InvalidDataException($"{key}:Path: file '{options.Path}' does not exist.");
        }

        try
        {
            var extension = System.IO.Path.GetExtension(options.Path);
            if (extension.Equals(".pfx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".p12", StringComparison.OrdinalIgnoreCase))
            {
                var all = X509CertificateLoader.LoadPkcs12CollectionFromFile(options.Path, options.Password);
                var leaf = all.Cast<X509Certificate2>().FirstOrDefault(c => c.HasPrivateKey)
                    ?? throw new InvalidDataException($"{key}:Path: '{options.Path}' holds no certificate with a private key.");
                var chain = new X509Certificate2Collection(all.Cast<X509Certificate2>().Where(c => !ReferenceEquals(c, leaf)).ToArray());
                return new ServerCertificate(leaf, chain);
            }

            if (string.IsNullOrWhiteSpace(options.KeyPath) || !File.Exists(options.KeyPath))
            {
                throw new InvalidDataException($"{key}:KeyPath: file '{options.KeyPath}' does not exist.");
            }

            var certificate = string.IsNullOrEmpty(options.Password)
                ? X509Certificate2.CreateFromPemFile(options.Path, options.KeyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(options.Path, options.Password, options.KeyPath);
            var bundle = new X509Certificate2Collection();
            bundle.ImportFromPemFile(options.Path);
            var intermediates = new X509Certificate2Collection(
                bundle.Cast<X509Certificate2>().Where(c => !c.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span)).ToArray());
            return new ServerCertificate(certificate, intermediates);
        }
        catch (CryptographicException exception)
        {
            throw new InvalidDataException($"{key}: could not load '{options.Path}': {exception.Message}", exception);
        }
    }
}
