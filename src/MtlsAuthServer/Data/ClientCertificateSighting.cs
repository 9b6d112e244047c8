namespace MtlsAuthServer.Data;

/// <summary>
/// A certificate a <c>tls_client_auth</c> client authenticated with, as last recorded by any instance: one row per
/// (client, <c>x5t#S256</c>), so an operator sees which partner certificates are in use and when they expire.
/// </summary>
public sealed class ClientCertificateSighting
{
    public const int MaxClientIdLength = 100; // OpenIddict's own bound on ClientId
    public const int ThumbprintLength = 43; // base64url SHA-256, no padding
    public const int MaxSubjectLength = 1024;
    public const int MaxSerialNumberLength = 128;

    public string ClientId { get; set; } = string.Empty;

    /// <summary>RFC 8705 §3.1 <c>x5t#S256</c> of the certificate.</summary>
    public string Thumbprint { get; set; } = string.Empty;

    public string Subject { get; set; } = string.Empty;

    /// <summary>Hex, as <c>X509Certificate2.SerialNumber</c> renders it.</summary>
    public string SerialNumber { get; set; } = string.Empty;

    public DateTimeOffset NotAfter { get; set; }

    /// <summary>When an instance last recorded an authentication with it (recorded at most hourly per instance, so up to that much behind).</summary>
    public DateTimeOffset LastSeen { get; set; }
}
