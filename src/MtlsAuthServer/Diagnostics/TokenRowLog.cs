namespace MtlsAuthServer.Diagnostics;

/// <summary>Group commit of token rows (ids 4700-4709), listed in docs/scale-out.md.</summary>
public static partial class TokenRowLog
{
    [LoggerMessage(EventId = 4700, EventName = "TokenRowBatchFailed", Level = LogLevel.Warning,
        Message = "A commit of {Rows} token rows failed; storing them one by one so that only a bad row fails its request ({ExceptionType}: {Detail})")]
    public static partial void BatchFailed(ILogger logger, int rows, string exceptionType, string detail);

    [LoggerMessage(EventId = 4701, EventName = "TokenRowsNotStored", Level = LogLevel.Error,
        Message = "{Rows} token row(s) not stored; their requests get no token ({ExceptionType}: {Detail})")]
    public static partial void RowsNotStored(ILogger logger, int rows, string exceptionType, string detail);
}
