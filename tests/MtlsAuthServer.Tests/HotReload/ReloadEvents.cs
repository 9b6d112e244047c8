using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.HotReload;

/// <summary>What the hot-reload specs wait for: the reload events the server logs when it picks up a change.</summary>
public static class ReloadEvents
{
    /// <summary>Serilog setting that lets the reload events (Information) through to the captured logs.</summary>
    public const string LogReloadsKey = "Serilog:MinimumLevel:Override:MtlsAuthServer.HotReload";

    /// <summary>Waits until <paramref name="count"/> reload events (4300 loaded, 4301 rejected) were logged for the material.</summary>
    public static Task<IReadOnlyList<CapturedLogEvent>> LoggedAsync(CapturedLogs logs, int eventId, string material, int count) =>
        Eventually.ReachesAsync(
            () => Task.FromResult<IReadOnlyList<CapturedLogEvent>>([.. logs.WithEventId(eventId).Where(e => e["Material"] == material)]),
            events => events.Count >= count,
            $"{count} event(s) {eventId} for {material} (all events: {string.Join(" | ", logs.Events.Select(e => $"{e.EventId.Id}: {e.Message}"))})");
}
