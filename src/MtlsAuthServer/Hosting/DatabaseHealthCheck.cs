using Microsoft.Extensions.Diagnostics.HealthChecks;
using MtlsAuthServer.Data;

namespace MtlsAuthServer.Hosting;

/// <summary>Ready only while the client and token store answers.</summary>
public sealed class DatabaseHealthCheck(AuthServerDbContext database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await database.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("the database does not answer");
}
