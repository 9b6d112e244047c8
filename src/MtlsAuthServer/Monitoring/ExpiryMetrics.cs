using System.Diagnostics.Metrics;
using MtlsAuthServer.Diagnostics;

namespace MtlsAuthServer.Monitoring;

/// <summary>
/// Time left before each monitored item expires, as observable gauges on the <c>MtlsAuthServer</c> meter, in
/// seconds (the Prometheus base unit; exported as <c>mtls_auth_certificate_expiry_remaining_seconds</c> and
/// <c>mtls_auth_crl_next_update_remaining_seconds</c>). Negative once expired. Computed at collection time from
/// <see cref="TimeProvider"/>, so a scrape always shows the current remaining time.
/// </summary>
public sealed class ExpiryMetrics : IHostedService
{
    public const string CertificateExpiryName = "mtls_auth.certificate.expiry_remaining";
    public const string CrlNextUpdateName = "mtls_auth.crl.next_update_remaining";

    private readonly ExpiryInventory _inventory;
    private readonly TimeProvider _time;

    public ExpiryMetrics(IMeterFactory meters, ExpiryInventory inventory, TimeProvider time)
    {
        _inventory = inventory;
        _time = time;
        var meter = meters.Create(AuthenticationMetrics.MeterName);
        meter.CreateObservableGauge(CertificateExpiryName, ObserveCertificates, unit: "s",
            description: "Seconds until the certificate's notAfter (server, trust anchors, intermediates, client certificates: registered self-signed ones and those tls_client_auth clients authenticated with).");
        meter.CreateObservableGauge(CrlNextUpdateName, ObserveCrls, unit: "s",
            description: "Seconds until the CRL's nextUpdate (fetched CRLs and configured CRL files).");
    }

    // Instruments exist from construction; being a hosted service only makes sure they are built at start-up.
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private IEnumerable<Measurement<double>> ObserveCertificates()
    {
        var now = _time.GetUtcNow();
        foreach (var item in _inventory.Snapshot().Where(item => item.Kind != ExpiringKind.Crl))
        {
            yield return item.ClientId is null
                ? new Measurement<double>((item.ExpiresAt - now).TotalSeconds,
                    new("kind", item.KindCode), new("subject", item.Subject), new("x5t_s256", item.Id))
                : new Measurement<double>((item.ExpiresAt - now).TotalSeconds,
                    new("kind", item.KindCode), new("subject", item.Subject), new("x5t_s256", item.Id), new("client_id", item.ClientId));
        }
    }

    private IEnumerable<Measurement<double>> ObserveCrls()
    {
        var now = _time.GetUtcNow();
        foreach (var item in _inventory.Snapshot().Where(item => item.Kind == ExpiringKind.Crl))
        {
            yield return new Measurement<double>((item.ExpiresAt - now).TotalSeconds, new("issuer", item.Subject), new("source", item.Id));
        }
    }
}
