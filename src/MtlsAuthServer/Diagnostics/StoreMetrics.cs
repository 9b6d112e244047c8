using System.Diagnostics.Metrics;

namespace MtlsAuthServer.Diagnostics;

/// <summary>
/// Counts OAuth requests answered 503 because the database was unavailable, and token rows deleted by
/// <see cref="Tokens.ExpiredTokenPruner"/>, on the <c>MtlsAuthServer</c> meter.
/// </summary>
public sealed class StoreMetrics
{
    public const string UnavailableName = "mtls_auth.store_unavailable";

    public const string TokensPrunedName = "mtls_auth.tokens_pruned";

    private readonly Counter<long> _unavailable;
    private readonly Counter<long> _tokensPruned;

    public StoreMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(AuthenticationMetrics.MeterName);
        _unavailable = meter.CreateCounter<long>(
            UnavailableName, unit: "{request}", description: "OAuth requests answered 503 because the database was unavailable or not yet ready.");
        _tokensPruned = meter.CreateCounter<long>(
            TokensPrunedName, unit: "{token}", description: "Rows of revoked or expired tokens deleted from the database.");
    }

    /// <summary>One 503; <paramref name="reason"/> is <c>unavailable</c> (a database call failed) or <c>not_ready</c> (start-up work pending).</summary>
    public void Unavailable(string endpoint, string reason) =>
        _unavailable.Add(1, new("endpoint", endpoint), new("reason", reason));

    public void TokensPruned(long count) => _tokensPruned.Add(count);
}
