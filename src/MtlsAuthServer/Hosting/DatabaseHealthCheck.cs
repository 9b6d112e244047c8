using Microsoft.Extensions.Diagnostics.HealthChecks;
using MtlsAuthServer.Data;

namespace MtlsAuthServer.Hosting;

/// <summary>Ready only once start-up database work is done and while the client and token store answers.</summary>
public sealed class DatabaseHealthCheck(AuthServerDbContext database, StoreReadiness readiness) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (readiness.NotReadyReason is { } reason)
        {
            return HealthCheckResult.Unhealthy(reason);
        }

        // Bounded by Database:ConnectTimeout / CommandTimeout, so a probe never hangs.
        return await database.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("the database does not answer");
    }
}
