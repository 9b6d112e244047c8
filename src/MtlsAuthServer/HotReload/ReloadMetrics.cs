using System.Diagnostics.Metrics;
using MtlsAuthServer.Diagnostics;

namespace MtlsAuthServer.HotReload;

/// <summary>Counts reload attempts by material and outcome (<c>mtls_auth.reloads{material,outcome}</c>).</summary>
public sealed class ReloadMetrics
{
    public const string ReloadsName = "mtls_auth.reloads";

    private readonly Counter<long> _reloads;

    public ReloadMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(AuthenticationMetrics.MeterName);
        _reloads = meter.CreateCounter<long>(ReloadsName, unit: "{reload}", description: "Hot reloads by material and outcome (success, rejected).");
    }

    public void Succeeded(string material) => _reloads.Add(1, new("material", material), new("outcome", "success"));

    public void Rejected(string material) => _reloads.Add(1, new("material", material), new("outcome", "rejected"));
}
