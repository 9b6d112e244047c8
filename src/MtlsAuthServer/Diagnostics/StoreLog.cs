namespace MtlsAuthServer.Diagnostics;

/// <summary>Database availability and start-up events (ids 4400-4409), listed in docs/scale-out.md.</summary>
public static partial class StoreLog
{
    [LoggerMessage(EventId = 4400, EventName = "StoreUnavailable", Level = LogLevel.Warning,
        Message = "Database unavailable at {Endpoint}: answered 503 with Retry-After {RetryAfterSeconds}s ({ExceptionType}: {Detail})")]
    public static partial void StoreUnavailable(ILogger logger, string endpoint, int retryAfterSeconds, string exceptionType, string detail);

    [LoggerMessage(EventId = 4401, EventName = "StoreNotReady", Level = LogLevel.Warning,
        Message = "Not ready at {Endpoint}: answered 503 with Retry-After {RetryAfterSeconds}s because {Reason}")]
    public static partial void StoreNotReady(ILogger logger, string endpoint, int retryAfterSeconds, string reason);

    [LoggerMessage(EventId = 4402, EventName = "StartupDeferred", Level = LogLevel.Warning,
        Message = "Start-up database work failed (attempt {Attempt}); the instance stays not-ready and retries in {RetryInterval}: {ExceptionType}: {Detail}")]
    public static partial void StartupDeferred(ILogger logger, int attempt, TimeSpan retryInterval, string exceptionType, string detail);

    [LoggerMessage(EventId = 4403, EventName = "StoreReady", Level = LogLevel.Information,
        Message = "Database ready after {Attempt} attempt(s): schema up to date, client registry {RegistryState}")]
    public static partial void StoreReady(ILogger logger, int attempt, string registryState);

    [LoggerMessage(EventId = 4404, EventName = "StartupFailed", Level = LogLevel.Critical,
        Message = "Start-up database work failed with an error that retrying will not fix; stopping the instance")]
    public static partial void StartupFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4405, EventName = "MigrationsApplied", Level = LogLevel.Information,
        Message = "Applied database migrations: {Migrations}")]
    public static partial void MigrationsApplied(ILogger logger, string migrations);

    [LoggerMessage(EventId = 4406, EventName = "ClientDisabled", Level = LogLevel.Information,
        Message = "Client {ClientId} of registration set {Source} is no longer configured: disabled")]
    public static partial void ClientDisabled(ILogger logger, string clientId, string source);
}
