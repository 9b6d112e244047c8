using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>
/// The caching rules shared by CRLs and OCSP answers:
/// <list type="bullet">
/// <item>a verified answer is used for <see cref="RevocationOptions.RefreshInterval"/> while it is current
/// (<see cref="RevocationFreshness"/>);</item>
/// <item>one fetch per key at a time; whatever that fetch throws becomes a remembered failure (never an exception for
/// the caller, never a stuck fetch), retried after <see cref="RevocationOptions.FailureCacheDuration"/>;</item>
/// <item>while fetches fail, the last answer keeps answering only up to its own nextUpdate (RFC 5280 §5.1.2.5,
/// RFC 6960 §4.2.2.1: the issuer vouches for it until then); an answer without nextUpdate is never a fallback;</item>
/// <item>an answer older than one already seen for the same scope (CRL number, thisUpdate) is refused as a rollback.</item>
/// </list>
/// Keys come only from chains that built to a configured trust anchor, and the table is bounded all the same.
/// </summary>
/// <typeparam name="T">A parsed, verified CRL or OCSP answer.</typeparam>
internal sealed class RevocationDataCache<T>(
    TimeProvider time, IOptionsMonitor<RevocationOptions> options, RevocationEvents events, RevocationSourceKind kind, Func<RevocationOptions, TimeSpan?> maxAge)
    where T : class, IRevocationAnswer<T>
{
    /// <summary>Upper bound on keys (and on remembered scopes); past it, entries that hold nothing current are dropped.</summary>
    internal const int MaxEntries = 50_000;

    /// <summary>How long an unrepeated failure keeps a source in <see cref="Failing"/>.</summary>
    internal static readonly TimeSpan ForgottenAfter = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, T> _newest = new(StringComparer.Ordinal);
    private long _lastTrimTicks;

    /// <summary>Sources seen so far (their URL) and their last good answer.</summary>
    public IEnumerable<(string Source, T? Item)> Known => _entries.Values.Select(entry => (entry.Source, entry.Snapshot.Item));

    /// <summary>
    /// Sources whose last fetch failed and that hold no answer usable now: the certificates they cover get "unknown".
    /// A source in use is asked again every <see cref="RevocationOptions.FailureCacheDuration"/>, so a failure older than
    /// <see cref="ForgottenAfter"/> belongs to a source nobody needs any more (a CA rotated away) and is not reported.
    /// </summary>
    public IEnumerable<RevocationSourceFailure> Failing()
    {
        var now = time.GetUtcNow();
        var settings = options.CurrentValue;
        foreach (var entry in _entries.Values)
        {
            var snapshot = entry.Snapshot;
            if (snapshot.Failure is { } failure && snapshot.FailedAt is { } failedAt && now - failedAt < ForgottenAfter
                && Usable(snapshot, now, settings, asFallback: true) is null)
            {
                yield return new RevocationSourceFailure(kind, entry.Source, failure, failedAt);
            }
        }
    }

    /// <summary>
    /// Returns a current answer for <paramref name="key"/>, or null with the reason it could not be had.
    /// <paramref name="fetch"/> fetches, parses and verifies; any exception it throws is a failed fetch.
    /// </summary>
    public async ValueTask<(T? Item, string Detail)> GetAsync(string key, string source, Func<Task<T>> fetch, CancellationToken cancellationToken)
    {
        var entry = _entries.GetOrAdd(key, _ => new Entry(source));
        if (_entries.Count > MaxEntries)
        {
            Trim();
        }

        var now = time.GetUtcNow();
        var settings = options.CurrentValue;
        var snapshot = entry.Snapshot;

        if (snapshot.Item is { } cached && now - snapshot.FetchedAt < settings.RefreshInterval && Usable(snapshot, now, settings, asFallback: false) is not null)
        {
            return (cached, "cached");
        }

        if (snapshot.FailedAt is { } failedAt && now - failedAt < settings.FailureCacheDuration)
        {
            return Fallback(snapshot, now, settings, snapshot.Failure ?? "fetch failed");
        }

        // Another request may have finished a fetch since the snapshot above was read: the entry decides under its lock.
        var fetched = await entry.FetchOnceAsync(() => RunAsync(entry, fetch), state => Settled(state, settings))
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return fetched.Item is not null
            ? (fetched.Item, "fetched")
            : Fallback(entry.Snapshot, time.GetUtcNow(), options.CurrentValue, fetched.Failure ?? "fetch failed");
    }

    /// <summary>What a fetch that just ended left (a fresh answer, or a failure still remembered); null when a fetch is due.</summary>
    private State? Settled(State state, RevocationOptions settings)
    {
        var now = time.GetUtcNow();
        if (state.Item is not null && now - state.FetchedAt < settings.RefreshInterval && Usable(state, now, settings, asFallback: false) is not null)
        {
            return state;
        }

        return state.FailedAt is { } failedAt && now - failedAt < settings.FailureCacheDuration ? state with { Item = null } : null;
    }

    private (T?, string) Fallback(State state, DateTimeOffset now, RevocationOptions settings, string failure) =>
        Usable(state, now, settings, asFallback: true) is { } last
            ? (last, $"using the last {kind.Noun()} after a failed refresh ({failure}); {last.Describe()}")
            : (null, failure);

    /// <summary>The state's answer if it may be used now: current, not superseded by a newer one of its scope, and (as a fallback) one that promised a nextUpdate.</summary>
    private T? Usable(State state, DateTimeOffset now, RevocationOptions settings, bool asFallback)
    {
        if (state.Item is not { } item || (asFallback && item.NextUpdate is null))
        {
            return null;
        }

        if (!RevocationFreshness.IsCurrent(item, now, settings, maxAge(settings), out _))
        {
            return null;
        }

        return _newest.TryGetValue(item.ScopeKey, out var newest) && item.IsOlderThan(newest) ? null : item;
    }

    private async Task<State> RunAsync(Entry entry, Func<Task<T>> fetch)
    {
        T item;
        try
        {
            item = await fetch().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // Network errors, truncated bodies, garbage, wrong types, bad signatures: all one outcome, "unknown".
            return Failed(entry, RevocationFetchFailure.Describe(exception));
        }

        var now = time.GetUtcNow();
        var settings = options.CurrentValue;
        if (!RevocationFreshness.IsCurrent(item, now, settings, maxAge(settings), out var why))
        {
            // A stale copy at the distribution point (publisher stopped, cron missed) must not count as "good".
            return Failed(entry, $"the published {kind.Noun()} is not current: {why}");
        }

        if (_newest.TryGetValue(item.ScopeKey, out var newest) && item.IsOlderThan(newest))
        {
            var detail = $"refused as a rollback: {item.Describe()} is older than {newest.Describe()} already seen";
            events.RollbackRefused(kind, entry.Source, item.Describe(), newest.Describe());
            return Failed(entry, detail, counted: false);
        }

        _newest.AddOrUpdate(item.ScopeKey, item, (_, held) => held.IsOlderThan(item) ? item : held);
        events.Fetched(kind, entry.Source, recovered: entry.Snapshot.Failure is not null);
        return new State(item, now, null, null);
    }

    private State Failed(Entry entry, string failure, bool counted = true)
    {
        if (counted)
        {
            events.FetchFailed(kind, entry.Source, failure);
        }

        return new State(null, default, time.GetUtcNow(), failure);
    }

    private void Trim()
    {
        // A table full of usable answers stays full: sweep at most every few seconds, not on every request.
        var now = time.GetUtcNow();
        var last = Interlocked.Read(ref _lastTrimTicks);
        if (now.UtcTicks - last < TimeSpan.TicksPerSecond * 10 || Interlocked.CompareExchange(ref _lastTrimTicks, now.UtcTicks, last) != last)
        {
            return;
        }

        var settings = options.CurrentValue;
        foreach (var (key, entry) in _entries)
        {
            if (Usable(entry.Snapshot, now, settings, asFallback: true) is null && !entry.IsFetching)
            {
                _entries.TryRemove(key, out _);
            }
        }

        foreach (var (scope, newest) in _newest)
        {
            if (!RevocationFreshness.IsCurrent(newest, now, settings, maxAge(settings), out _))
            {
                _newest.TryRemove(scope, out _);
            }
        }
    }

    private sealed record State(T? Item, DateTimeOffset FetchedAt, DateTimeOffset? FailedAt, string? Failure);

    private sealed class Entry(string source)
    {
        private readonly Lock _gate = new();
        private Task<State>? _inFlight;

        public string Source { get; } = source;

        public State Snapshot { get; private set; } = new(null, default, null, null);

        public bool IsFetching
        {
            get
            {
                lock (_gate)
                {
                    return _inFlight is not null;
                }
            }
        }

        /// <summary>Joins the fetch in flight, or starts one unless <paramref name="settled"/> says the last one still stands.</summary>
        public Task<State> FetchOnceAsync(Func<Task<State>> fetch, Func<State, State?> settled)
        {
            lock (_gate)
            {
                if (_inFlight is null && settled(Snapshot) is { } standing)
                {
                    return Task.FromResult(standing);
                }

                _inFlight ??= RunAsync(fetch);
                return _inFlight;
            }
        }

        private async Task<State> RunAsync(Func<Task<State>> fetch)
        {
            await Task.Yield();
            State result;
            try
            {
                result = await fetch().ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                // The fetch delegate already turns every failure into a state; this only guards the guard. A failure
                // time of "long ago" lets the next request retry at once.
                result = new State(null, default, DateTimeOffset.MinValue, RevocationFetchFailure.Describe(exception));
            }

            lock (_gate)
            {
                // Keep the last good answer when a refresh fails; remember the failure beside it. Clearing the
                // in-flight fetch in the same step means no fetch is ever the answer forever.
                Snapshot = result.Item is not null ? result : Snapshot with { FailedAt = result.FailedAt, Failure = result.Failure };
                _inFlight = null;
            }

            return result;
        }
    }
}

/// <summary>A revocation source whose last fetch failed and that has nothing usable.</summary>
public sealed record RevocationSourceFailure(RevocationSourceKind Kind, string Source, string Failure, DateTimeOffset Since);

public enum RevocationSourceKind
{
    Crl,
    Ocsp,
}

public static class RevocationSourceKinds
{
    public static string Code(this RevocationSourceKind kind) => kind == RevocationSourceKind.Crl ? "crl" : "ocsp";

    public static string Noun(this RevocationSourceKind kind) => kind == RevocationSourceKind.Crl ? "CRL" : "OCSP answer";
}
