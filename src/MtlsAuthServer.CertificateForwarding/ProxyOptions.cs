using System.ComponentModel.DataAnnotations;

namespace MtlsAuthServer.CertificateForwarding;

/// <summary>
/// Configuration section <c>Proxy</c>: whether the application sits behind a TLS-terminating proxy that forwards the
/// client certificate, how the certificate is written, and which senders may write it. Checked at start-up by
/// <see cref="ProxyOptionsValidator"/>.
/// </summary>
public sealed class ProxyOptions
{
    public const string Section = "Proxy";

    public const string NginxDefaultHeaderName = "X-SSL-Client-Cert";
    public const string Rfc9440DefaultHeaderName = "Client-Cert";
    public const string Rfc9440DefaultChainHeaderName = "Client-Cert-Chain";
    public const string EnvoyDefaultHeaderName = "x-forwarded-client-cert";

    public ProxyMode Mode { get; set; } = ProxyMode.None;

    public ForwardedCertificateFormat HeaderFormat { get; set; } = ForwardedCertificateFormat.NginxEscapedPem;

    /// <summary>The header carrying the certificate; defaults per <see cref="HeaderFormat"/> (see <see cref="EffectiveHeaderName"/>).</summary>
    public string? HeaderName { get; set; }

    /// <summary>RFC 9440 only: the header carrying the intermediates; defaults to <c>Client-Cert-Chain</c>.</summary>
    public string? ChainHeaderName { get; set; }

    /// <summary>
    /// Addresses (<c>10.0.0.7</c>, <c>::1</c>) or CIDR ranges (<c>10.0.0.0/24</c>) of the proxies allowed to forward a
    /// certificate, compared with the TCP peer of the connection (never with <c>X-Forwarded-For</c>). Required in
    /// <see cref="ProxyMode.Forwarded"/>.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>
    /// Re-encryption: when set, a trusted proxy must also present, in its own TLS handshake with the application, a
    /// client certificate whose <c>x5t#S256</c> (base64url SHA-256 of the DER) is listed here. List two during a rotation.
    /// </summary>
    public List<string> RequiredProxyCertificateThumbprints { get; set; } = [];

    /// <summary>
    /// Forwarded mode only. False (default): a TLS client certificate presented directly by a sender that is not a
    /// trusted proxy is ignored, so every client is authenticated through the proxy. True: such a certificate is still
    /// used (migration from passthrough, or internal callers that bypass the proxy); a forwarded header from that sender
    /// is ignored either way.
    /// </summary>
    public bool AllowDirectClientCertificates { get; set; }

    /// <summary>Longest accepted forwarding header, summed over its field lines; longer is refused unparsed.</summary>
    [Range(1024, 65536)]
    public int MaxHeaderLength { get; set; } = 16 * 1024;

    /// <summary>The configured header name, or the format's conventional one.</summary>
    public string EffectiveHeaderName => string.IsNullOrWhiteSpace(HeaderName)
        ? HeaderFormat switch
        {
            ForwardedCertificateFormat.Rfc9440 => Rfc9440DefaultHeaderName,
            ForwardedCertificateFormat.EnvoyXfcc => EnvoyDefaultHeaderName,
            _ => NginxDefaultHeaderName,
        }
        : HeaderName.Trim();

    /// <summary>The chain header for RFC 9440; none for the other formats (nginx forwards no chain, Envoy's is inside XFCC).</summary>
    public string? EffectiveChainHeaderName => HeaderFormat == ForwardedCertificateFormat.Rfc9440
        ? string.IsNullOrWhiteSpace(ChainHeaderName) ? Rfc9440DefaultChainHeaderName : ChainHeaderName.Trim()
        : null;
}
