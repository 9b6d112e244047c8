using System.ComponentModel.DataAnnotations;
using System.Security.Authentication;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Hosting;

/// <summary>
/// Configuration section <c>Listeners</c>. RFC 8705 §5 shape: discovery and JWKS on a listener that asks for no
/// certificate (resource servers and browsers fetch them freely), token/introspection/revocation on an mTLS
/// listener published as <c>mtls_endpoint_aliases</c>, and health/metrics/CRLs on a management listener.
/// </summary>
public sealed class ListenerOptions
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

    /// <summary>TLS versions offered: <c>Tls12</c> and/or <c>Tls13</c> only (<see cref="TlsPolicy"/>); anything else refuses the start.</summary>
    public List<SslProtocols> TlsProtocols { get; set; } = [SslProtocols.Tls12, SslProtocols.Tls13];

    /// <summary>
    /// False (default): a request without a client certificate reaches the app and gets <c>401 invalid_client</c>
    /// with a logged reason. True: the handshake itself is refused.
    /// </summary>
    public bool RequireCertificateInHandshake { get; set; }

    /// <summary>Largest request body accepted on the OAuth endpoints; token requests are a few hundred bytes.</summary>
    [Range(1024, 10 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;
}

/// <summary>Refuses to start with TLS versions below 1.2 in <c>Listeners:TlsProtocols</c> (RFC 9325 §4.1).</summary>
public sealed class ListenerOptionsValidator : IValidateOptions<ListenerOptions>
{
    public ValidateOptionsResult Validate(string? name, ListenerOptions options)
    {
        var errors = TlsPolicy.ConfigurationErrors(options.TlsProtocols, $"{ListenerOptions.Section}:TlsProtocols");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
