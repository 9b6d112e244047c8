using System.Diagnostics.Metrics;

namespace MtlsAuthServer.Diagnostics;

/// <summary>Counts OAuth requests answered 503 because the database was unavailable, on the <c>MtlsAuthServer</c> meter.</summary>
public sealed class StoreMetrics
{
    public const string UnavailableName = "mtls_auth.store_unavailable";

    private readonly Counter<long> _unavailable;

    public StoreMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(AuthenticationMetrics.MeterName);
        _unavailable = meter.CreateCounter<long>(
            UnavailableName, unit: "{request}", description: "OAuth requests answered 503 because the database was unavailable or not yet ready.");
    }

    /// <summary>One 503; <paramref name="reason"/> is <c>unavailable</c> (a database call failed) or <c>not_ready</c> (start-up work pending).</summary>
    public void Unavailable(string endpoint, string reason) =>
        _unavailable.Add(1, new("endpoint", endpoint), new("reason", reason));
}
