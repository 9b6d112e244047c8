using System.Diagnostics.Metrics;
using MtlsAuthServer.Diagnostics;

namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>
/// <c>mtls_auth.revocation.failing_sources{source}</c> (CRL/OCSP sources whose last fetch failed and that hold nothing
/// usable) and <c>mtls_auth.revocation.coverage_gaps</c> (configured CAs whose clients can't be checked), computed per scrape.
/// </summary>
public sealed class RevocationSourceMetrics : IHostedService
{
    public const string FailingSourcesName = "mtls_auth.revocation.failing_sources";
    public const string CoverageGapsName = "mtls_auth.revocation.coverage_gaps";

    public RevocationSourceMetrics(IMeterFactory meters, CrlCache crls, OcspCache ocsp, RevocationCoverage coverage)
    {
        var meter = meters.Create(AuthenticationMetrics.MeterName);
        meter.CreateObservableGauge(FailingSourcesName, () => new[]
        {
            new Measurement<int>(crls.Failing().Count(), new KeyValuePair<string, object?>("source", "crl")),
            new Measurement<int>(ocsp.Failing().Count(), new KeyValuePair<string, object?>("source", "ocsp")),
        }, unit: "{source}", description: "Revocation sources whose last fetch failed and that have no usable answer.");
        meter.CreateObservableGauge(CoverageGapsName, () => coverage.Gaps().Count, unit: "{ca}",
            description: "Configured CAs whose clients' revocation can't be checked in the configured mode and scope.");
    }

    // Instruments exist from construction; being a hosted service only makes sure they are built at start-up.
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
