namespace MtlsAuthServer.Monitoring;

/// <summary>
/// The age of a snapshot read from the database, so that readiness probes read it again only once it is older than
/// an interval, and the order of overlapping reads: only the one that started last publishes (by count, because the
/// clock may have been set back in between). A clock that went back makes the snapshot stale.
/// </summary>
public sealed class SnapshotRefresh(TimeProvider time)
{
    private readonly Lock _publishing = new();
    private long _readsStarted;
    private long _publishedRead;
    private long _publishedAtTicks; // UTC ticks when the published read started; 0: nothing published yet

    public bool IsFresh(TimeSpan maxAge)
    {
        var publishedAt = Interlocked.Read(ref _publishedAtTicks);
        var age = time.GetUtcNow().UtcTicks - publishedAt;
        return publishedAt != 0 && age >= 0 && age < maxAge.Ticks;
    }

    /// <summary>Call before reading; hand the result to <see cref="Publish"/> with what was read.</summary>
    public Read Start() => new(Interlocked.Increment(ref _readsStarted), time.GetUtcNow().UtcTicks);

    /// <summary>Runs <paramref name="publish"/> unless a read that started later has already published.</summary>
    public void Publish(Read read, Action publish)
    {
        lock (_publishing)
        {
            if (read.Number < _publishedRead)
            {
                return;
            }

            _publishedRead = read.Number;
            publish();
            Interlocked.Exchange(ref _publishedAtTicks, read.StartedAtTicks);
        }
    }

    public readonly record struct Read(long Number, long StartedAtTicks);
}
