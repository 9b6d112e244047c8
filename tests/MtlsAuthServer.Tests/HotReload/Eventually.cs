using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.HotReload;

/// <summary>Bounded polling for changes the server picks up on its own schedule (never an unbounded wait, never a bare sleep).</summary>
public static class Eventually
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    /// <summary>Serilog setting that lets the reload events (Information) through to the captured logs.</summary>
    public const string LogReloadsKey = "Serilog:MinimumLevel:Override:MtlsAuthServer.HotReload";

    public static async Task<T> ReachesAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Limit;
        var value = await probe();
        while (!done(value))
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {Limit.TotalSeconds} s waiting for {what}; last: {value}");
            await Task.Delay(50);
            value = await probe();
        }

        return value;
    }

    /// <summary>Waits until <paramref name="count"/> reload events (4300 loaded, 4301 rejected) were logged for the material.</summary>
    public static Task<IReadOnlyList<CapturedLogEvent>> ReloadEventsAsync(CapturedLogs logs, int eventId, string material, int count) =>
        ReachesAsync(
            () => Task.FromResult<IReadOnlyList<CapturedLogEvent>>([.. logs.WithEventId(eventId).Where(e => e["Material"] == material)]),
            events => events.Count >= count,
            $"{count} event(s) {eventId} for {material} (all events: {string.Join(" | ", logs.Events.Select(e => $"{e.EventId.Id}: {e.Message}"))})");
}
