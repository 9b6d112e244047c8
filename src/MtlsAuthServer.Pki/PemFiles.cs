using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MtlsAuthServer.Pki;

/// <summary>Reads and writes PEM files; private keys are created owner-read/write only (0600).</summary>
public static class PemFiles
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void WriteCertificates(string path, params X509Certificate2[] certificates)
    {
        var pem = new StringBuilder();
        foreach (var certificate in certificates)
        {
            pem.AppendLine(certificate.ExportCertificatePem());
        }

        WritePublic(path, pem.ToString());
    }

    public static void WritePrivateKey(string path, X509Certificate2 certificate)
    {
        var pem = certificate.GetECDsaPrivateKey() is { } ecdsa
            ? ecdsa.ExportPkcs8PrivateKeyPem()
            : certificate.GetRSAPrivateKey()?.ExportPkcs8PrivateKeyPem()
              ?? throw new InvalidOperationException($"'{certificate.Subject}' has no exportable private key.");
        WriteSecret(path, pem + "\n");
    }

    public static void WritePublic(string path, string content) => Write(path, Encoding.ASCII.GetBytes(content), secret: false);

    public static void WritePublic(string path, byte[] content) => Write(path, content, secret: false);

    public static void WriteSecret(string path, string content) => Write(path, Encoding.ASCII.GetBytes(content), secret: true);

    /// <summary>All certificates in a PEM bundle, in file order.</summary>
    public static X509Certificate2Collection ReadCertificates(string path)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPemFile(path);
        return collection;
    }

    /// <summary>
    /// Every certificate of a PEM file, in file order (a client's certificate file: leaf first), or the one of a DER
    /// file, told apart by the first byte. Throws <see cref="InvalidDataException"/> for a PEM file without a
    /// certificate and <see cref="CryptographicException"/> for one that can't be parsed.
    /// </summary>
    public static X509Certificate2Collection ReadPemOrDer(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0 || bytes[0] != (byte)'-')
        {
            return [X509CertificateLoader.LoadCertificate(bytes)];
        }

        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPem(Encoding.ASCII.GetString(bytes));
        return bundle.Count > 0 ? bundle : throw new InvalidDataException($"'{path}' holds no certificate.");
    }

    private static void Write(string path, byte[] content, bool secret)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        // Write to a sibling temp file and rename: a reader (hot reload, CRL publication) never sees half a file.
        var temporary = path + "." + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)) + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (secret && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(content);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
