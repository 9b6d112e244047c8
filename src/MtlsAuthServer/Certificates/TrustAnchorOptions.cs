namespace MtlsAuthServer.Certificates;

/// <summary>Configuration section <c>TrustAnchors</c>: the only CAs whose client certificates are accepted.</summary>
public sealed class TrustAnchorOptions
{
    public const string Section = "TrustAnchors";

    /// <summary>PEM bundle of root CA certificates (self-signed). Intermediates found here are used for chain building only.</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>Optional PEM bundle of intermediate CA certificates, used when a client sends only its leaf.</summary>
    public string? IntermediatesPath { get; set; }
}
