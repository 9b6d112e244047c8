using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MtlsAuthServer.Monitoring;

/// <summary>
/// Writes a health report as JSON: overall status, then each check with its status, description and data
/// (the expiry check lists every monitored item). Exception details are left out: the body is for probes
/// and dashboards, the log has the rest.
/// </summary>
public static class HealthResponseWriter
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            Status = report.Status.ToString(),
            TotalDurationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 3),
            Checks = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new
                {
                    Status = entry.Value.Status.ToString(),
                    entry.Value.Description,
                    DurationMs = Math.Round(entry.Value.Duration.TotalMilliseconds, 3),
                    entry.Value.Data,
                }),
        };
        await JsonSerializer.SerializeAsync(context.Response.Body, body, Json, context.RequestAborted);
    }
}
