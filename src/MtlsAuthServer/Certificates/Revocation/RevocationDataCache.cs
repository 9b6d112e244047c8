using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>
/// The caching rules shared by CRLs and OCSP responses: a fetched item is used for
/// <see cref="RevocationOptions.RefreshInterval"/> while it is current (never past its own nextUpdate); one fetch
/// per key at a time; a failed fetch is remembered for <see cref="RevocationOptions.FailureCacheDuration"/> so an
/// unreachable host costs one timeout, not one per request. While fetches fail, the last good item keeps answering
/// until its nextUpdate (RFC 5280 §5.1.2.5, RFC 6960 §4.2.2.1: the issuer vouches for it until then).
/// </summary>
/// <typeparam name="T">A parsed, verified CRL or OCSP response.</typeparam>
internal sealed class RevocationDataCache<T>(
    TimeProvider time, IOptionsMonitor<RevocationOptions> options, Func<T, DateTimeOffset, bool> isCurrent, string itemName)
    where T : class
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Keys seen so far and their last good item.</summary>
    public IEnumerable<(string Key, T? Item)> Known => _entries.Select(pair => (pair.Key, pair.Value.Snapshot.Item));

    /// <summary>
    /// Returns a current item for <paramref name="key"/>, or null with the reason it could not be had.
    /// <paramref name="fetch"/> signals failure with <see cref="RevocationFetchException"/> or <see cref="CryptographicException"/>.
    /// </summary>
    public async ValueTask<(T? Item, string Detail)> GetAsync(string key, Func<Task<T>> fetch, CancellationToken cancellationToken)
    {
        var entry = _entries.GetOrAdd(key, _ => new Entry());
        var now = time.GetUtcNow();
        var settings = options.CurrentValue;
        var snapshot = entry.Snapshot;

        if (snapshot.Item is { } cached && now - snapshot.FetchedAt < settings.RefreshInterval && isCurrent(cached, now))
        {
            return (cached, "cached");
        }

        if (snapshot.FailedAt is { } failedAt && now - failedAt < settings.FailureCacheDuration)
        {
            return Fallback(snapshot, now, snapshot.Failure ?? "fetch failed");
        }

        var fetched = await entry.FetchOnceAsync(() => RunAsync(fetch)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return fetched.Item is not null ? (fetched.Item, "fetched") : Fallback(entry.Snapshot, time.GetUtcNow(), fetched.Failure ?? "fetch failed");
    }

    private (T?, string) Fallback(State state, DateTimeOffset now, string failure) =>
        state.Item is { } last && isCurrent(last, now)
            ? (last, $"using last good {itemName} after failure: {failure}")
            : (null, failure);

    private async Task<State> RunAsync(Func<Task<T>> fetch)
    {
        try
        {
            var item = await fetch().ConfigureAwait(false);
            var now = time.GetUtcNow();
            // RFC 5280 §6.3.3 (a)(2): an item past its nextUpdate says nothing about today; a stale copy at the
            // distribution point (publisher stopped, cron missed) must not count as "good".
            return isCurrent(item, now)
                ? new State(item, now, null, null)
                : new State(null, default, now, $"the published {itemName} is not current");
        }
        catch (RevocationFetchException exception)
        {
            return new State(null, default, time.GetUtcNow(), exception.Message);
        }
        catch (CryptographicException exception)
        {
            return new State(null, default, time.GetUtcNow(), exception.Message);
        }
    }

    private sealed record State(T? Item, DateTimeOffset FetchedAt, DateTimeOffset? FailedAt, string? Failure);

    private sealed class Entry
    {
        private readonly Lock _gate = new();
        private Task<State>? _inFlight;

        public State Snapshot { get; private set; } = new(null, default, null, null);

        public Task<State> FetchOnceAsync(Func<Task<State>> fetch)
        {
            lock (_gate)
            {
                _inFlight ??= RunAsync(fetch);
                return _inFlight;
            }
        }

        private async Task<State> RunAsync(Func<Task<State>> fetch)
        {
            await Task.Yield();
            var result = await fetch().ConfigureAwait(false);
            lock (_gate)
            {
                // Keep the last good item when a refresh fails; remember the failure beside it.
                Snapshot = result.Item is not null ? result : Snapshot with { FailedAt = result.FailedAt, Failure = result.Failure };
                _inFlight = null;
            }

            return result;
        }
    }
}
