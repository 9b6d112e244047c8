using System.ComponentModel.DataAnnotations;

namespace MtlsAuthServer.Certificates.Revocation;

public enum RevocationMode
{
    /// <summary>OCSP from the certificate's AIA extension, else the CRL from its distribution point, fetched over HTTP.</summary>
    Online,

    /// <summary>Only the CRL files listed in <see cref="RevocationOptions.CrlFiles"/>; nothing is fetched.</summary>
    Offline,

    /// <summary>No revocation checking (logged as a warning at start-up).</summary>
    NoCheck,
}

/// <summary>Which certificates of a client's chain have their revocation status checked.</summary>
public enum RevocationScope
{
    /// <summary>Every certificate below the trust anchor: the client's and each intermediate's (default).</summary>
    Chain,

    /// <summary>
    /// Only the client's certificate. For private PKIs whose issuing CAs name no CRL or OCSP location and whose root
    /// publishes no CRL: a revoked intermediate is then removed from the trust bundles instead.
    /// </summary>
    EndEntity,
}

/// <summary>Configuration section <c>Revocation</c>.</summary>
public sealed class RevocationOptions
{
    public const string Section = "Revocation";

    public RevocationMode Mode { get; set; } = RevocationMode.Online;

    /// <summary>When revocation status can't be determined: false (default) rejects the certificate.</summary>
    public bool SoftFail { get; set; }

    /// <summary>Which certificates of the chain are checked (default: all below the anchor).</summary>
    public RevocationScope Scope { get; set; } = RevocationScope.Chain;

    /// <summary>
    /// Oldest OCSP answer believed, by its thisUpdate (RFC 6960 §3.2 item 5: "sufficiently recent"), whatever its
    /// nextUpdate says: a captured "good" can't be replayed for longer than this.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan OcspMaxAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Refuse OCSP answers that don't echo our nonce (RFC 8954). Off by default: responders that serve pre-signed
    /// answers (most public CAs' and many appliances') never echo one; rollback and age checks apply either way.
    /// </summary>
    public bool RequireOcspNonce { get; set; }

    /// <summary>Upper bound on one CRL or OCSP fetch.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a fetched CRL or OCSP answer is used before it is fetched again (never past its nextUpdate).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a failed fetch is remembered, so an unreachable endpoint costs one timeout, not one per request.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan FailureCacheDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest CRL accepted, in bytes.</summary>
    [Range(1024, 512L * 1024 * 1024)]
    public long MaxCrlBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>
    /// DER or PEM CRL files (re-read when they change): the only source in <see cref="RevocationMode.Offline"/> mode; in
    /// <see cref="RevocationMode.Online"/> mode the source for certificates that name no CRL or OCSP location (e.g. an
    /// offline root's CRL for issuing CAs that name none).
    /// </summary>
    public List<string> CrlFiles { get; set; } = [];
}
