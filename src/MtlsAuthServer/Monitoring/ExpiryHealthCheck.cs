using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace MtlsAuthServer.Monitoring;

/// <summary>
/// Readiness: Degraded while anything in <see cref="ExpiryInventory"/> expires within its warning window. Once
/// expired, what the server needs to serve every client of a CA (its own certificate, a trust anchor or intermediate,
/// a CRL in use) is Unhealthy — a load balancer should take the instance out; a registered client's own certificate
/// is only Degraded: one client's lapse is that client's problem, and taking the server out would stop all the others.
/// The most urgent entries (each with its own status, at most <see cref="MonitoringOptions.ReadinessReportEntries"/>) go
/// in the report's data with the number monitored and left out; the management endpoint writes it out as JSON.
/// </summary>
public sealed class ExpiryHealthCheck(
    ExpiryInventory inventory,
    RegisteredClientCertificates clients,
    ClientCertificateSightings sightings,
    IOptionsMonitor<MonitoringOptions> options,
    TimeProvider time) : IHealthCheck
{
    public const string Name = "expiry";
    public const string EntriesKey = "entries";
    public const string MonitoredKey = "monitored";
    public const string OmittedKey = "omitted";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // Registrations and sightings can change in the database without a reload here (another instance, an admin
        // tool). Both can be thousands of rows and probes come every few seconds: read at most once per interval.
        var settings = options.CurrentValue;
        await clients.RefreshIfOlderThanAsync(settings.RegisteredClientsRefreshInterval, cancellationToken);
        await sightings.RefreshIfOlderThanAsync(settings.RegisteredClientsRefreshInterval, cancellationToken);
        var now = time.GetUtcNow();
        var entries = inventory.Snapshot()
            .Select(item =>
            {
                var remaining = item.ExpiresAt - now;
                var window = item.Kind == ExpiringKind.Crl ? settings.CrlWarningWindow : settings.ExpiryWarningWindow;
                var status = remaining <= TimeSpan.Zero ? WhenExpired(item.Kind)
                    : remaining <= window ? HealthStatus.Degraded
                    : HealthStatus.Healthy;
                return new ExpiryEntry(item.KindCode, item.Subject, item.Id, item.ClientId, item.ExpiresAt, Math.Round(remaining.TotalSeconds, 3), status.ToString(), item.LastSeen);
            })
            .OrderBy(entry => Urgency(entry.Status))
            .ThenBy(entry => entry.SecondsRemaining)
            .ToList();

        var expired = entries.Count(entry => entry.Status == nameof(HealthStatus.Unhealthy));
        var expiring = entries.Count(entry => entry.Status == nameof(HealthStatus.Degraded));
        var listed = entries.Take(settings.ReadinessReportEntries).ToList();
        var data = new Dictionary<string, object>
        {
            [EntriesKey] = listed,
            [MonitoredKey] = entries.Count,
            [OmittedKey] = entries.Count - listed.Count,
        };
        if (expired > 0)
        {
            return HealthCheckResult.Unhealthy($"{expired} expired, {expiring} expiring within the warning window", data: data);
        }

        return expiring > 0
            ? HealthCheckResult.Degraded($"{expiring} expiring within the warning window or expired without stopping the server", data: data)
            : HealthCheckResult.Healthy($"{entries.Count} monitored, none expiring within the warning window", data);
    }

    // A certificate inside its 30-day window sorts before a CRL that is fine yet reaches nextUpdate within hours.
    private static int Urgency(string status) => status switch
    {
        nameof(HealthStatus.Unhealthy) => 0,
        nameof(HealthStatus.Degraded) => 1,
        _ => 2,
    };

    private static HealthStatus WhenExpired(ExpiringKind kind) =>
        kind == ExpiringKind.ClientCertificate ? HealthStatus.Degraded : HealthStatus.Unhealthy;
}

/// <summary>One monitored item in the readiness report; <paramref name="LastSeen"/> only for certificates known from authentications.</summary>
public sealed record ExpiryEntry(
    string Kind, string Subject, string Id, string? ClientId, DateTimeOffset ExpiresAt, double SecondsRemaining, string Status, DateTimeOffset? LastSeen);
