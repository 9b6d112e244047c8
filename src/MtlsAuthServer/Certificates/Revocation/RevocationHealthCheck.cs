using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>
/// Readiness for revocation: Degraded while a CRL/OCSP source fails and holds nothing usable (its URL and failure in
/// the data), or while a configured CA can't be checked (<see cref="RevocationCoverage"/>). Degraded, not
/// Unhealthy: the problem belongs to one CA's clients and a restart fixes neither; the server still serves the others.
/// </summary>
public sealed class RevocationHealthCheck(CrlCache crls, OcspCache ocsp, RevocationCoverage coverage) : IHealthCheck
{
    public const string Name = "revocation";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failing = crls.Failing().Concat(ocsp.Failing())
            .Select(failure => new { Source = failure.Kind.Code(), Url = RevocationEvents.Bounded(failure.Source), failure.Failure, LastFailure = failure.Since })
            .ToList();
        var gaps = coverage.Gaps();
        var data = new Dictionary<string, object> { ["failing_sources"] = failing, ["coverage_gaps"] = gaps };
        if (failing.Count == 0 && gaps.Count == 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy("every revocation source in use answers", data));
        }

        var parts = new List<string>();
        if (failing.Count > 0)
        {
            parts.Add($"{failing.Count} revocation source(s) failing: " + string.Join(", ", failing.Select(failure => failure.Url)));
        }

        if (gaps.Count > 0)
        {
            parts.Add($"{gaps.Count} CA(s) whose clients can't be checked: " + string.Join(" | ", gaps));
        }

        return Task.FromResult(HealthCheckResult.Degraded(string.Join("; ", parts), data: data));
    }
}
