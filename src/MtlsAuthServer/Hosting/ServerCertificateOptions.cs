namespace MtlsAuthServer.Hosting;

/// <summary>Configuration section <c>ServerCertificate</c>: the TLS certificate of both HTTPS listeners.</summary>
public sealed class ServerCertificateOptions
{
    public const string Section = "ServerCertificate";

    /// <summary>PEM certificate (leaf first, then its intermediates) or a PFX/PKCS#12 file.</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>PEM private key; not used for PFX.</summary>
    public string? KeyPath { get; set; }

    /// <summary>PFX password, or the password of an encrypted PEM key.</summary>
    public string? Password { get; set; }
}
