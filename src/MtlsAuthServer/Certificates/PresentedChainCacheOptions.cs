using System.ComponentModel.DataAnnotations;

namespace MtlsAuthServer.Certificates;

/// <summary>
/// Configuration section <c>ClientCertificates:PresentedChains</c>: how long and how much of the intermediates clients
/// sent in full TLS handshakes is kept for their resumed sessions (see <see cref="PresentedChainCache"/>, docs/adr/0005).
/// </summary>
public sealed class PresentedChainCacheOptions
{
    public const string Section = "ClientCertificates:PresentedChains";

    /// <summary>Upper bound of the cache, in DER bytes of the kept intermediates; 0 keeps nothing (resumed sessions then need <c>TrustAnchors:IntermediatesPath</c>).</summary>
    [Range(0, 1L << 30)]
    public long CacheBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>
    /// An entry nobody used for this long is dropped. At least the TLS session lifetime (OpenSSL under .NET: 7,200 s),
    /// or a client resuming an older session finds nothing.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(2);
}
