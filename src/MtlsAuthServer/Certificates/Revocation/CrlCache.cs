using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>
/// CRLs fetched from distribution points, kept for <see cref="RevocationOptions.RefreshInterval"/> (never past
/// their nextUpdate). One fetch per URL at a time; a failed fetch is remembered for
/// <see cref="RevocationOptions.FailureCacheDuration"/> so an unreachable host costs one timeout, not one per request.
/// While a fetch fails, the last good CRL keeps answering until its own nextUpdate (RFC 5280 §5.1.2.5).
/// </summary>
public sealed class CrlCache(RevocationHttpFetcher fetcher, TimeProvider time, IOptionsMonitor<RevocationOptions> options)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Returns a current CRL for the URL, or null with the reason it could not be had.</summary>
    public async ValueTask<(CertificateRevocationList? Crl, string Detail)> GetAsync(Uri uri, CancellationToken cancellationToken)
    {
        var entry = _entries.GetOrAdd(uri.AbsoluteUri, _ => new Entry());
        var now = time.GetUtcNow();
        var settings = options.CurrentValue;
        var snapshot = entry.Snapshot;

        if (snapshot.Crl is { } cached && now - snapshot.FetchedAt < settings.RefreshInterval && IsCurrent(cached, now))
        {
            return (cached, "cached");
        }

        if (snapshot.FailedAt is { } failedAt && now - failedAt < settings.FailureCacheDuration)
        {
            return Fallback(snapshot, now, snapshot.Failure ?? "fetch failed");
        }

        var fetched = await entry.FetchOnceAsync(() => FetchAsync(uri)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return fetched.Crl is not null ? (fetched.Crl, "fetched") : Fallback(entry.Snapshot, time.GetUtcNow(), fetched.Failure ?? "fetch failed");
    }

    /// <summary>URLs seen so far (for the background refresher and the metrics).</summary>
    public IEnumerable<(string Uri, CertificateRevocationList? Crl)> Known =>
        _entries.Select(pair => (pair.Key, pair.Value.Snapshot.Crl));

    private static (CertificateRevocationList?, string) Fallback(State state, DateTimeOffset now, string failure) =>
        state.Crl is { } last && IsCurrent(last, now)
            ? (last, $"using last good CRL after failure: {failure}")
            : (null, failure);

    private static bool IsCurrent(CertificateRevocationList crl, DateTimeOffset now) =>
        crl.ThisUpdate <= now + TimeSpan.FromMinutes(5) && (crl.NextUpdate is not { } next || now <= next);

    private async Task<State> FetchAsync(Uri uri)
    {
        try
        {
            // Shared by every waiting request, so no single caller's cancellation may abort it; the fetch timeout bounds it.
            var bytes = await fetcher.GetAsync(uri, CancellationToken.None).ConfigureAwait(false);
            var crl = CertificateRevocationList.Parse(bytes);
            var now = time.GetUtcNow();
            // RFC 5280 §6.3.3 (a)(2): a CRL past its nextUpdate says nothing about today; a stale copy at the
            // distribution point (publisher stopped, cron missed) must not count as "good".
            return IsCurrent(crl, now)
                ? new State(crl, now, null, null)
                : new State(null, default, now, $"the published CRL is not current (thisUpdate {crl.ThisUpdate:O}, nextUpdate {crl.NextUpdate:O})");
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

    private sealed record State(CertificateRevocationList? Crl, DateTimeOffset FetchedAt, DateTimeOffset? FailedAt, string? Failure);

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
                // Keep the last good CRL when a refresh fails; remember the failure beside it.
                Snapshot = result.Crl is not null ? result : Snapshot with { FailedAt = result.FailedAt, Failure = result.Failure };
                _inFlight = null;
            }

            return result;
        }
    }
}
