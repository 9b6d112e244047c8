namespace MtlsAuthServer.ResourceApi.Certificates;

/// <summary>
/// Configuration section <c>TrustAnchors</c>: the only CAs whose client certificates the API accepts (never the OS
/// store). By default the token server's TLS certificate is checked against the same anchors.
/// </summary>
public sealed class TrustAnchorOptions
{
    public const string Section = "TrustAnchors";

    /// <summary>PEM bundle of root CA certificates (self-signed).</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>Optional PEM bundle of intermediate CA certificates, for clients that send only their leaf.</summary>
    public string? IntermediatesPath { get; set; }
}
