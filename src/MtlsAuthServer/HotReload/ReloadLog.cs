namespace MtlsAuthServer.HotReload;

/// <summary>Hot-reload events, one pair for every kind of material (its name is the Material property). Ids 4300-4309 are stable.</summary>
public static partial class ReloadLog
{
    [LoggerMessage(EventId = 4300, EventName = "MaterialReloaded", Level = LogLevel.Information,
        Message = "Reloaded {Material} from {Source}: {Detail}")]
    public static partial void Reloaded(ILogger logger, string material, string source, string detail);

    [LoggerMessage(EventId = 4301, EventName = "MaterialReloadRejected", Level = LogLevel.Error,
        Message = "Rejected the new {Material} from {Source}; the previous one stays in use: {Reason}")]
    public static partial void Rejected(ILogger logger, string material, string source, string reason);

    [LoggerMessage(EventId = 4302, EventName = "MaterialWatched", Level = LogLevel.Debug,
        Message = "Watching {Material} ({Source}) every {PollInterval}")]
    public static partial void Watching(ILogger logger, string material, string source, TimeSpan pollInterval);
}
