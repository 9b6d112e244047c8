using System.ComponentModel.DataAnnotations;
using MtlsAuthServer.ServiceDefaults.Hosting;

namespace MtlsAuthServer.ResourceApi.Hosting;

/// <summary>Configuration section <c>Listener</c>: the API's one HTTPS endpoint, which asks every client for a certificate.</summary>
public sealed class ListenerOptions : TlsListenerOptions
{
    public const string Section = "Listener";

    /// <summary>e.g. <c>https://localhost:8445</c>, <c>https://*:8445</c> or <c>https://127.0.0.1:0</c>.</summary>
    [Required]
    public string Url { get; set; } = string.Empty;

    /// <summary>
    /// True for an API behind a token server with <c>Profile=Fapi2</c>: TLS 1.2 may only negotiate the FAPI 2.0
    /// suites (ECDHE + AES-GCM), refused in the handshake itself, as the conformance suite probes resource endpoints.
    /// Linux and macOS only; on Linux it turns off TLS session resumption on this listener (a .NET limit).
    /// False (default): BCP 195 suites, checked right after the handshake.
    /// </summary>
    public bool Fapi2TlsSuites { get; set; }
}
