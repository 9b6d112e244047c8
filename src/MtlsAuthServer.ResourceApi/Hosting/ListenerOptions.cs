using System.ComponentModel.DataAnnotations;
using System.Security.Authentication;

namespace MtlsAuthServer.ResourceApi.Hosting;

/// <summary>Configuration section <c>Listener</c>: the API's one HTTPS endpoint, which asks every client for a certificate.</summary>
public sealed class ListenerOptions
{
    public const string Section = "Listener";

    /// <summary>e.g. <c>https://localhost:8445</c>, <c>https://*:8445</c> or <c>https://127.0.0.1:0</c>.</summary>
    [Required]
    public string Url { get; set; } = string.Empty;

    public List<SslProtocols> TlsProtocols { get; set; } = [SslProtocols.Tls12, SslProtocols.Tls13];

    /// <summary>
    /// False (default): the handshake asks for a certificate but completes without one; the request then gets
    /// <c>401 invalid_token</c> with the reason <c>no_client_certificate</c> logged. True: the handshake is refused
    /// (the client sees a TLS alert and nothing is logged by the API).
    /// </summary>
    public bool RequireCertificateInHandshake { get; set; }

    /// <summary>
    /// True for an API behind a token server with <c>Profile=Fapi2</c>: TLS 1.2 may only negotiate the FAPI 2.0
    /// suites (ECDHE + AES-GCM), refused in the handshake itself, as the conformance suite probes resource endpoints.
    /// Linux and macOS only; on Linux it turns off TLS session resumption on this listener (a .NET limit).
    /// False (default): BCP 195 suites, checked right after the handshake.
    /// </summary>
    public bool Fapi2TlsSuites { get; set; }
}

/// <summary>Configuration section <c>ServerCertificate</c>: the API's own TLS certificate.</summary>
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
