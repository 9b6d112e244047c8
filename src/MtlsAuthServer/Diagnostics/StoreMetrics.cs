using System.Diagnostics.Metrics;

namespace MtlsAuthServer.Diagnostics;

/// <summary>
/// Counts OAuth requests answered 503 because the database was unavailable, token rows deleted by
/// <see cref="Tokens.ExpiredTokenPruner"/>, and how many token rows each group commit of
/// <see cref="Tokens.TokenRowWriter"/> held, on the <c>MtlsAuthServer</c> meter.
/// </summary>
public sealed class StoreMetrics
{
    public const string UnavailableName = "mtls_auth.store_unavailable";

    public const string TokensPrunedName = "mtls_auth.tokens_pruned";

    public const string TokenRowsPerCommitName = "mtls_auth.token_rows_per_commit";

    private readonly Counter<long> _unavailable;
    private readonly Counter<long> _tokensPruned;
    private readonly Histogram<int> _tokenRowsPerCommit;

    public StoreMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(AuthenticationMetrics.MeterName);
        _unavailable = meter.CreateCounter<long>(
            UnavailableName, unit: "{request}", description: "OAuth requests answered 503 because the database was unavailable or not yet ready.");
        _tokensPruned = meter.CreateCounter<long>(
            TokensPrunedName, unit: "{token}", description: "Rows of revoked or expired tokens deleted from the database.");
        _tokenRowsPerCommit = meter.CreateHistogram<int>(
            TokenRowsPerCommitName, unit: "{token}", description: "Token rows stored by one commit (group commit of concurrent token requests).",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128] });
    }

    /// <summary>One 503; <paramref name="reason"/> is <c>unavailable</c> (a database call failed) or <c>not_ready</c> (start-up work pending).</summary>
    public void Unavailable(string endpoint, string reason) =>
        _unavailable.Add(1, new("endpoint", endpoint), new("reason", reason));

    public void TokensPruned(long count) => _tokensPruned.Add(count);

    public void TokenRowsCommitted(int rows) => _tokenRowsPerCommit.Record(rows);
}
