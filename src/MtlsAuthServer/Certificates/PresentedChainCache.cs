using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using MtlsAuthServer.CertificateForwarding;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Certificates;

/// <summary>
/// The intermediates a client sent in a full TLS handshake, kept for its resumed sessions. A resumed handshake
/// (TLS 1.2 session id/ticket, TLS 1.3 PSK) carries no Certificate message: OpenSSL restores the leaf from the
/// session, so .NET reports the same client certificate, but the chain the client sent is gone, and a client whose
/// issuing CA is not in <c>TrustAnchors:IntermediatesPath</c> would be refused as <c>chain_untrusted</c> (issue 12).
/// <para>
/// Safe by construction (docs/adr/0005): an entry is keyed by the SHA-256 of the leaf's DER and written only by a
/// request on a completed handshake — so by the holder of the leaf's private key (TLS CertificateVerify) — whose
/// certificate built its chain to a configured anchor with exactly these intermediates. Nobody else can write a
/// victim's entry, material that builds no trusted chain is never kept, a handshake with no intermediates never
/// replaces an entry, and only a request that passed every check replaces one with another set. Entries are
/// only untrusted helpers for chain building: trust still comes from the configured anchors, and validity, usage,
/// revocation and identity are checked on every request. Bounded in bytes, dropped at the leaf's notAfter and when
/// idle. Shared entries are never disposed (requests in flight may hold them), like <see cref="ChainBuildCache"/>.
/// </para>
/// </summary>
public sealed class PresentedChainCache : IDisposable
{
    private readonly MemoryCache _entries;
    private readonly PresentedChainCacheOptions _options;
    private readonly TimeProvider _time;

    public PresentedChainCache(IOptions<PresentedChainCacheOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        _entries = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, _options.CacheBytes) });
    }

    /// <summary>Entries held now (for tests and diagnostics).</summary>
    public int Count => _entries.Count;

    /// <summary>
    /// The intermediates to build this request's chain with: what came with the certificate when anything did (a full
    /// handshake, or a trusted proxy), else — for a certificate from this connection's own handshake — what the same
    /// leaf last authenticated with. <paramref name="rememberOnSuccess"/> says whether a success should be kept.
    /// </summary>
    public IReadOnlyList<X509Certificate2> ForRequest(X509Certificate2? certificate, IFeatureCollection? features, out bool rememberOnSuccess)
    {
        var presented = features?.Get<PresentedCertificateChainFeature>()?.Intermediates ?? [];
        // A forwarded certificate's chain is the proxy's word, per request (leaf-only forwarding needs IntermediatesPath).
        var fromHandshake = certificate is not null && features?.Get<ForwardedClientCertificateFeature>()?.Outcome is not ForwardingOutcome.Forwarded;
        rememberOnSuccess = fromHandshake && presented.Count > 0;
        return presented.Count == 0 && fromHandshake ? Find(certificate!) : presented;
    }

    /// <summary>What <paramref name="leaf"/> last authenticated with, or nothing (expired, idle, evicted, never seen).</summary>
    public IReadOnlyList<X509Certificate2> Find(X509Certificate2 leaf)
    {
        var key = KeyOf(leaf);
        if (!_entries.TryGetValue(key, out Entry? entry) || entry is null)
        {
            return [];
        }

        var now = _time.GetUtcNow();
        if (now >= entry.NotAfter || now - entry.LastUsed >= _options.IdleTimeout)
        {
            _entries.Remove(key);
            return [];
        }

        entry.LastUsed = now;
        return entry.Intermediates;
    }

    /// <summary>
    /// Keeps <paramref name="intermediates"/> for <paramref name="leaf"/>; call only once the leaf, sent with them in a
    /// completed handshake, built its chain to a configured anchor. The same set again only refreshes the entry; another
    /// set replaces it only when the request was <paramref name="authenticated"/> (passed every check), so a set that
    /// builds but fails later (an expired copy of the CA) can't displace one that works.
    /// </summary>
    public void Remember(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> intermediates, bool authenticated)
    {
        var now = _time.GetUtcNow();
        var notAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        if (_options.CacheBytes == 0 || intermediates.Count is 0 or > PresentedCertificateChainFeature.MaxCertificates || notAfter <= now)
        {
            return;
        }

        var key = KeyOf(leaf);
        if (_entries.TryGetValue(key, out Entry? known) && known is not null && (!authenticated || SameCertificates(known.Intermediates, intermediates)))
        {
            known.LastUsed = now;
            return;
        }

        // Own copies: the handshake's instances belong to its connection.
        var copies = intermediates.Select(c => X509CertificateLoader.LoadCertificate(c.RawData)).ToArray();
        _entries.Set(key, new Entry(copies, notAfter) { LastUsed = now }, new MemoryCacheEntryOptions
        {
            Size = copies.Sum(c => (long)c.RawDataMemory.Length) + key.Length,
            AbsoluteExpiration = notAfter,
            SlidingExpiration = _options.IdleTimeout,
        });
    }

    public void Dispose() => _entries.Dispose();

    private static string KeyOf(X509Certificate2 leaf) => CertificateThumbprints.X5tS256(leaf);

    private static bool SameCertificates(X509Certificate2[] known, IReadOnlyList<X509Certificate2> candidate) =>
        known.Length == candidate.Count && known.Zip(candidate).All(pair => pair.First.RawDataMemory.Span.SequenceEqual(pair.Second.RawDataMemory.Span));

    private sealed class Entry(X509Certificate2[] intermediates, DateTimeOffset notAfter)
    {
        private long _lastUsedTicks;

        public X509Certificate2[] Intermediates { get; } = intermediates;

        public DateTimeOffset NotAfter { get; } = notAfter;

        public DateTimeOffset LastUsed
        {
            get => new(Interlocked.Read(ref _lastUsedTicks), TimeSpan.Zero);
            set => Interlocked.Exchange(ref _lastUsedTicks, value.UtcTicks);
        }
    }
}
