using System.ComponentModel.DataAnnotations;

namespace MtlsAuthServer.Monitoring;

/// <summary>Configuration section <c>Monitoring</c>: when expiring material turns the readiness check Degraded.</summary>
public sealed class MonitoringOptions
{
    public const string Section = "Monitoring";

    /// <summary>
    /// A certificate (server, trust anchor, intermediate, client) that expires within this window makes readiness
    /// Degraded; once expired, the server's own material makes it Unhealthy, a client's certificate stays Degraded.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00", ErrorMessage = "must be between 0 and 3650 days.")]
    public TimeSpan ExpiryWarningWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// A CRL whose nextUpdate is this close makes readiness Degraded, a CRL past it Unhealthy. Separate from
    /// <see cref="ExpiryWarningWindow"/> because CRLs live days, not years (RFC 5280 §5.1.2.5): a 30-day window
    /// would keep readiness Degraded forever.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00", ErrorMessage = "must be between 0 and 30 days.")]
    public TimeSpan CrlWarningWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How often a readiness check may read every registered client, and the certificates clients were seen with, from
    /// the database for the expiry report and gauges (what another instance, an admin tool or dynamic registration
    /// changed shows up at most this late; the sighting writer keeps to it too). Probes come every few seconds and both
    /// lists can hold thousands of rows. A reload of this instance's registry reads at once; 0 reads at every check.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "must be between 0 and 1 day.")]
    public TimeSpan RegisteredClientsRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How many monitored items the readiness report lists, most urgent first (expired, then expiring, each soonest
    /// first). Status and counts always cover every item; the rest are left out of the body because probes come every
    /// few seconds and with thousands of clients the list would be thousands of entries each time (the gauges and
    /// <c>diagnose</c> cover every one).
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "must be between 1 and 100000.")]
    public int ReadinessReportEntries { get; set; } = 100;
}
