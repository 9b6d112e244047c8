using System.Diagnostics;

namespace MtlsAuthServer.Tests.Infrastructure;

/// <summary>
/// The one bounded poll of the end-to-end specs, for what a server does on its own schedule (reloads, pruning rounds,
/// readiness, a counter that moves when a connection closes): never an unbounded wait, never a bare sleep.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>Polls <paramref name="probe"/> until <paramref name="done"/> holds; fails the spec, naming <paramref name="what"/> and the last value, after the limit.</summary>
    public static async Task<T> ReachesAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? limit = null)
    {
        var allowed = limit ?? Limit;
        var clock = Stopwatch.StartNew();
        var value = await probe();
        while (!done(value))
        {
            Assert.True(clock.Elapsed < allowed, $"timed out after {allowed.TotalSeconds} s waiting for {what}; last: {value}");
            await Task.Delay(Interval);
            value = await probe();
        }

        return value;
    }

    /// <summary>Whether <paramref name="condition"/> comes true within <paramref name="limit"/>, for specs that assert on the outcome themselves.</summary>
    public static async Task<bool> HoldsWithinAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed >= limit)
            {
                return false;
            }

            await Task.Delay(Interval);
        }

        return true;
    }
}
