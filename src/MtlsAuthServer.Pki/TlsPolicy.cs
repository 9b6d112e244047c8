using System.Net.Security;
using System.Runtime.Versioning;
using System.Security.Authentication;

namespace MtlsAuthServer.Pki;

/// <summary>
/// The TLS profile of every listener we run (token server and resource API), after BCP 195 (RFC 9325 §4): TLS 1.3
/// preferred (the highest shared version wins), TLS 1.2 only with ECDHE key exchange and AEAD ciphers, nothing below
/// 1.2 (§4.1: SSL 3, TLS 1.0 and 1.1 MUST NOT be negotiated), whatever the configuration lists.
/// </summary>
public static class TlsPolicy
{
    /// <summary>The only versions a configuration may name.</summary>
    public const SslProtocols Allowed = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>RFC 9325 §4.2's recommended TLS 1.2 suites (ECDHE + AEAD), and the TLS 1.3 suites (all ECDHE/DHE + AEAD).</summary>
    private static readonly HashSet<TlsCipherSuite> Suites =
    [
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    /// <summary>
    /// The suites of the FAPI 2.0 profile: the TLS 1.3 suites, and on TLS 1.2 only FAPI 2.0 SP §5.2.2's ECDHE + AES-GCM
    /// suites (no CHACHA20 on TLS 1.2). The profile's conformance checks offer every other suite and fail the server if
    /// its ServerHello picks one, so these are enforced in the handshake (<see cref="CipherSuitesPolicy"/>), at the
    /// price of TLS session resumption on Linux (see <see cref="IsAllowed"/>).
    /// </summary>
    public static readonly IReadOnlyList<TlsCipherSuite> Fapi2Suites =
    [
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    ];

    private static CipherSuitesPolicy? _fapi2Policy;

    /// <summary>
    /// Whether a negotiated suite is one of BCP 195's. Enforced on the completed handshake, not through
    /// <see cref="CipherSuitesPolicy"/>: on Linux, .NET gives every connection with a cipher-suite policy a fresh OpenSSL
    /// context, which turns TLS session resumption off for the whole listener (measured: no "Reused" session with
    /// the policy set). A client that negotiates anything else has its connection closed before HTTP is read.
    /// </summary>
    public static bool IsAllowed(TlsCipherSuite? negotiated) => negotiated is { } suite && Suites.Contains(suite);

    [UnsupportedOSPlatform("windows")]
    private static CipherSuitesPolicy Fapi2Policy() => _fapi2Policy ??= new CipherSuitesPolicy(Fapi2Suites);

    /// <summary>The errors of a configured version list, naming <paramref name="key"/>; empty when it is usable.</summary>
    public static IReadOnlyList<string> ConfigurationErrors(IReadOnlyList<SslProtocols> protocols, string key)
    {
        if (protocols.Count == 0)
        {
            return [$"{key}: list at least one of Tls12, Tls13."];
        }

        var refused = protocols.Where(protocol => protocol == SslProtocols.None || (protocol & ~Allowed) != 0).Distinct().ToList();
        return refused.Count == 0
            ? []
            : [$"{key}: {string.Join(", ", refused)} refused; only Tls12 and Tls13 are allowed (RFC 9325 §4.1: nothing below TLS 1.2)."];
    }

    /// <summary>Sets the versions: never below 1.2, even unvalidated. Suites are checked after the handshake (<see cref="IsAllowed"/>).</summary>
    /// <param name="options">The listener's handshake options, changed in place.</param>
    /// <param name="protocols">The configured versions.</param>
    /// <param name="fapi2Suites">Only <see cref="Fapi2Suites"/> may be chosen in the handshake.</param>
    public static SslServerAuthenticationOptions Apply(SslServerAuthenticationOptions options, IReadOnlyList<SslProtocols> protocols, bool fapi2Suites = false)
    {
        var enabled = protocols.Aggregate(SslProtocols.None, (all, protocol) => all | protocol) & Allowed;
        options.EnabledSslProtocols = enabled == SslProtocols.None ? Allowed : enabled;
        if (fapi2Suites)
        {
            // Windows (SChannel) takes no per-listener suite list: the profile cannot be kept there, so it refuses.
            options.CipherSuitesPolicy = OperatingSystem.IsWindows()
                ? throw new PlatformNotSupportedException("Profile Fapi2 restricts TLS suites in the handshake, which .NET supports on Linux and macOS only.")
                : Fapi2Policy();
        }

        return options;
    }
}
