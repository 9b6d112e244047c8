namespace MtlsAuthServer.Tests.Infrastructure;

/// <summary>The system clock plus an offset a test can move (and must put back), to make tokens expire without waiting.</summary>
public sealed class AdjustableTimeProvider : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
        set => Interlocked.Exchange(ref _offsetTicks, value.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;

    /// <summary>Moves the clock for the lifetime of the returned scope.</summary>
    public IDisposable Shift(TimeSpan by)
    {
        Offset += by;
        return new Restore(this, by);
    }

    private sealed class Restore(AdjustableTimeProvider time, TimeSpan by) : IDisposable
    {
        public void Dispose() => time.Offset -= by;
    }
}
