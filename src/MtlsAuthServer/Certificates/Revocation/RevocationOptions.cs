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

/// <summary>Configuration section <c>Revocation</c>.</summary>
public sealed class RevocationOptions
{
    public const string Section = "Revocation";

    public RevocationMode Mode { get; set; } = RevocationMode.Online;

    /// <summary>When revocation status can't be determined: false (default) rejects the certificate.</summary>
    public bool SoftFail { get; set; }

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

    /// <summary>DER or PEM CRL files used in <see cref="RevocationMode.Offline"/> mode (re-read when they change).</summary>
    public List<string> CrlFiles { get; set; } = [];
}
