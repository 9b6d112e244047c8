using Microsoft.Extensions.Time.Testing;
using MtlsAuthServer.Monitoring;

namespace MtlsAuthServer.Specs.Monitoring;

/// <summary>
/// Readiness re-reads the registered clients and the certificate sightings only once their snapshot is older than
/// the interval; of two overlapping reads the one that started last wins, whatever the clock did meanwhile.
/// </summary>
public sealed class SnapshotRefreshSpecs
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Nothing_published_is_never_fresh()
    {
        var refresh = new SnapshotRefresh(_clock);
        refresh.Start();

        Assert.False(refresh.IsFresh(TimeSpan.FromDays(1)));
    }

    [Fact]
    public void A_snapshot_is_fresh_until_the_interval_has_passed_since_its_read_started()
    {
        var refresh = new SnapshotRefresh(_clock);
        var read = refresh.Start();
        _clock.Advance(TimeSpan.FromSeconds(20)); // a slow read: its age counts from when it started
        refresh.Publish(read, () => { });

        _clock.Advance(TimeSpan.FromSeconds(39));
        Assert.True(refresh.IsFresh(Interval));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(refresh.IsFresh(Interval));
    }

    [Fact]
    public void An_interval_of_zero_is_never_fresh()
    {
        var refresh = new SnapshotRefresh(_clock);
        refresh.Publish(refresh.Start(), () => { });

        Assert.False(refresh.IsFresh(TimeSpan.Zero));
    }

    [Fact]
    public void A_clock_set_back_makes_the_snapshot_stale()
    {
        var clock = new SettableClock(_clock.GetUtcNow());
        var refresh = new SnapshotRefresh(clock);
        refresh.Publish(refresh.Start(), () => { });
        Assert.True(refresh.IsFresh(Interval));

        clock.Now -= TimeSpan.FromSeconds(1);

        Assert.False(refresh.IsFresh(Interval));
    }

    [Fact]
    public void A_read_that_started_earlier_and_finished_later_does_not_replace_the_later_one()
    {
        var clock = new SettableClock(_clock.GetUtcNow());
        var refresh = new SnapshotRefresh(clock);
        var published = new List<string>();
        var earlier = refresh.Start();
        clock.Now -= TimeSpan.FromHours(1); // the clock went back between the two starts: order is by count
        var later = refresh.Start();

        refresh.Publish(later, () => published.Add("later"));
        refresh.Publish(earlier, () => published.Add("earlier"));

        Assert.Equal(["later"], published);
        Assert.True(refresh.IsFresh(Interval)); // aged from the later read's start, not the earlier one's
    }

    [Fact]
    public void Reads_that_do_not_overlap_each_publish()
    {
        var refresh = new SnapshotRefresh(_clock);
        var published = new List<int>();

        refresh.Publish(refresh.Start(), () => published.Add(1));
        refresh.Publish(refresh.Start(), () => published.Add(2));

        Assert.Equal([1, 2], published);
    }

    private sealed class SettableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
