namespace MtlsAuthServer.Diagnostics;

/// <summary>Deleting unusable token rows (ids 4410-4411), listed in docs/scale-out.md.</summary>
public static partial class TokenPruningLog
{
    [LoggerMessage(EventId = 4410, EventName = "TokensPruned", Level = LogLevel.Information,
        Message = "Deleted {Count} revoked or expired token row(s) issued before {Threshold:O}")]
    public static partial void TokensPruned(ILogger logger, long count, DateTimeOffset threshold);

    [LoggerMessage(EventId = 4411, EventName = "TokenPruningFailed", Level = LogLevel.Warning,
        Message = "Deleting revoked or expired token rows failed; retrying in {RetryInterval}: {ExceptionType}: {Detail}")]
    public static partial void TokenPruningFailed(ILogger logger, TimeSpan retryInterval, string exceptionType, string detail);
}
