using Microsoft.Extensions.Diagnostics.Metrics;
using MtlsAuthServer.Data;
using MtlsAuthServer.Diagnostics;
using MtlsAuthServer.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace MtlsAuthServer.Monitoring;

public static class MonitoringRegistration
{
    /// <summary>The OpenTelemetry listener's name (registered by <c>WithMetrics</c>).</summary>
    private const string OpenTelemetryListener = "OpenTelemetry";

    /// <summary>The <c>service_name</c> of the exported <c>target_info</c>.</summary>
    public const string ServiceName = "mtls-auth-server";

    /// <summary>
    /// OpenTelemetry metrics with a Prometheus exporter (scraped at <c>/metrics</c> on the management listener),
    /// expiry gauges, TLS handshake counters and the expiry readiness check.
    /// </summary>
    public static WebApplicationBuilder AddMonitoring(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSection<MonitoringOptions>(MonitoringOptions.Section);
        services.AddSingleton<RegisteredClientCertificates>();
        services.AddHostedService(provider => provider.GetRequiredService<RegisteredClientCertificates>());
        services.AddScoped<ClientCertificateSightingStore>();
        services.AddSingleton<ClientCertificateSightings>();
        services.AddHostedService<ClientCertificateSightingWriter>();
        services.AddSingleton<ExpiryInventory>();
        services.AddSingleton<ExpiryMetrics>();
        services.AddHostedService(provider => provider.GetRequiredService<ExpiryMetrics>());
        services.AddHealthChecks().AddCheck<ExpiryHealthCheck>(ExpiryHealthCheck.Name, tags: ["ready"]);

        // Meters are enabled through the metrics rules with MeterScope.Local: only instruments created by this
        // host's IMeterFactory are exported, never those of another host in the same process.
        services.AddMetrics(metrics =>
        {
            foreach (var meter in new[] { AuthenticationMetrics.MeterName, "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Hosting" })
            {
                metrics.EnableMetrics(meter, instrumentName: null, listenerName: OpenTelemetryListener, scopes: MeterScope.Local);
            }
        });
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithMetrics(metrics => metrics.AddPrometheusExporter(prometheus =>
            {
                // Gauges are computed per scrape from the clock; a cached response would show stale values.
                prometheus.ScrapeResponseCacheDurationMilliseconds = 0;
            }));
        return builder;
    }
}
