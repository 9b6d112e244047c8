using System.ComponentModel.DataAnnotations;
using MtlsAuthServer.ServiceDefaults.Hosting;

namespace MtlsAuthServer.Hosting;

/// <summary>
/// Configuration section <c>Listeners</c>. RFC 8705 §5 shape: discovery and JWKS on a listener that asks for no
/// certificate (resource servers and browsers fetch them freely), token/introspection/revocation on an mTLS
/// listener published as <c>mtls_endpoint_aliases</c>, and health/metrics/CRLs on a management listener.
/// </summary>
public sealed class ListenerOptions : TlsListenerOptions
{
    public const string Section = "Listeners";

    /// <summary>mTLS listener, e.g. <c>https://localhost:8443</c>: the handshake requests a client certificate.</summary>
    [Required]
    public string Mtls { get; set; } = string.Empty;

    /// <summary>Plain HTTPS listener for discovery and JWKS, e.g. <c>https://localhost:8444</c>.</summary>
    [Required]
    public string Public { get; set; } = string.Empty;

    /// <summary>Plain HTTP listener for health, metrics and CRL publication; keep it off the client network.</summary>
    public string? Management { get; set; }

    /// <summary>Externally visible base URL of the mTLS listener (behind a proxy); defaults to <see cref="Mtls"/>.</summary>
    public string? MtlsPublicBaseUrl { get; set; }

    /// <summary>Largest request body accepted on the OAuth endpoints; token requests are a few hundred bytes.</summary>
    [Range(1024, 10 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;
}
