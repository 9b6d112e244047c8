using System.Diagnostics.Metrics;
using MtlsAuthServer.Diagnostics;

namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>
/// What happens to revocation sources, logged (events 4010-4015) and counted on the <c>MtlsAuthServer</c> meter as
/// <c>mtls_auth.revocation.fetches{source, outcome}</c>. URLs come from certificates that built to a configured
/// anchor, and are still cut to a bounded length.
/// </summary>
public sealed partial class RevocationEvents
{
    public const string FetchesName = "mtls_auth.revocation.fetches";

    private const int MaxSourceLength = 256;

    private readonly ILogger<RevocationEvents> _logger;
    private readonly Counter<long> _fetches;

    public RevocationEvents(IMeterFactory meters, ILogger<RevocationEvents> logger)
    {
        _logger = logger;
        _fetches = meters.Create(AuthenticationMetrics.MeterName).CreateCounter<long>(
            FetchesName, unit: "{fetch}", description: "CRL and OCSP fetches by outcome (success, failure, rollback).");
    }

    public void Fetched(RevocationSourceKind kind, string source, bool recovered)
    {
        Count(kind, "success");
        if (recovered)
        {
            SourceRecovered(_logger, kind.Code(), Bounded(source));
        }
    }

    public void FetchFailed(RevocationSourceKind kind, string source, string failure)
    {
        Count(kind, "failure");
        FetchFailedLog(_logger, kind.Code(), Bounded(source), failure);
    }

    public void RollbackRefused(RevocationSourceKind kind, string source, string offered, string held)
    {
        Count(kind, "rollback");
        RollbackRefusedLog(_logger, kind.Code(), Bounded(source), offered, held);
    }

    public void CrlFileLoaded(string path, string description) => CrlFileLoadedLog(_logger, path, description);

    public void CrlFileRejected(string path, string failure) => CrlFileRejectedLog(_logger, path, failure);

    internal static string Bounded(string source) => source.Length <= MaxSourceLength ? source : source[..MaxSourceLength] + "…";

    private void Count(RevocationSourceKind kind, string outcome) => _fetches.Add(1, new("source", kind.Code()), new("outcome", outcome));

    [LoggerMessage(EventId = 4010, EventName = "RevocationFetchFailed", Level = LogLevel.Warning,
        Message = "Revocation {Kind} from {Source} could not be used: {Failure}; certificates it covers are 'unknown' until it recovers")]
    private static partial void FetchFailedLog(ILogger logger, string kind, string source, string failure);

    [LoggerMessage(EventId = 4011, EventName = "RevocationRollbackRefused", Level = LogLevel.Warning,
        Message = "Revocation {Kind} from {Source} refused as a rollback attempt: offered {Offered}, already seen {Held}")]
    private static partial void RollbackRefusedLog(ILogger logger, string kind, string source, string offered, string held);

    [LoggerMessage(EventId = 4012, EventName = "RevocationSourceRecovered", Level = LogLevel.Information,
        Message = "Revocation {Kind} from {Source} is available again")]
    private static partial void SourceRecovered(ILogger logger, string kind, string source);

    [LoggerMessage(EventId = 4014, EventName = "CrlFileLoaded", Level = LogLevel.Information,
        Message = "CRL file {Path} loaded: {Description}")]
    private static partial void CrlFileLoadedLog(ILogger logger, string path, string description);

    [LoggerMessage(EventId = 4015, EventName = "CrlFileRejected", Level = LogLevel.Error,
        Message = "CRL file {Path} refused: {Failure}; certificates it would cover are 'unknown' until it is fixed")]
    private static partial void CrlFileRejectedLog(ILogger logger, string path, string failure);
}
