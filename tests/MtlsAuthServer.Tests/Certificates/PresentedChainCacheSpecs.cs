using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MtlsAuthServer.CertificateForwarding;
using MtlsAuthServer.Certificates;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Certificates;

/// <summary>The bounds of the intermediates kept for resumed TLS sessions (issue 12, item 6; docs/adr/0005).</summary>
public sealed class PresentedChainCacheSpecs : IDisposable
{
    private readonly TestPki _pki = TestPki.Create();
    private readonly TestPki _otherPki = TestPki.Create(organization: "Other Org");
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly List<IDisposable> _owned = [];

    [Fact]
    public void What_a_leaf_authenticated_with_is_found_by_that_leaf_only()
    {
        using var cache = Cache();
        var leaf = Leaf();

        cache.Remember(leaf, [_pki.Issuing.Certificate], authenticated: true);

        Assert.Equal(_pki.Issuing.Certificate.RawData, Assert.Single(cache.Find(leaf)).RawData);
        Assert.Empty(cache.Find(Leaf()));
    }

    [Fact]
    public void The_cache_never_holds_more_bytes_than_its_limit()
    {
        var entryBytes = _pki.Issuing.Certificate.RawData.Length + 43; // the DER plus the base64url SHA-256 key
        using var cache = Cache(new PresentedChainCacheOptions { CacheBytes = entryBytes * 3 });
        var leaves = Enumerable.Range(0, 20).Select(_ => Leaf()).ToList();

        foreach (var leaf in leaves)
        {
            cache.Remember(leaf, [_pki.Issuing.Certificate], authenticated: true);
        }

        Assert.InRange(cache.Count, 1, 3);
        Assert.InRange(leaves.Count(leaf => cache.Find(leaf).Count > 0), 1, 3);
    }

    [Fact]
    public void A_cache_of_zero_bytes_keeps_nothing()
    {
        using var cache = Cache(new PresentedChainCacheOptions { CacheBytes = 0 });
        var leaf = Leaf();

        cache.Remember(leaf, [_pki.Issuing.Certificate], authenticated: true);

        Assert.Empty(cache.Find(leaf));
    }

    [Fact]
    public void An_entry_ends_at_the_leafs_not_after_even_while_in_use()
    {
        using var cache = Cache(new PresentedChainCacheOptions { IdleTimeout = TimeSpan.FromDays(7) });
        var leaf = Leaf(lifetime: TimeSpan.FromHours(3));
        cache.Remember(leaf, [_pki.Issuing.Certificate], authenticated: true);

        for (var hour = 0; hour < 2; hour++)
        {
            _clock.Advance(TimeSpan.FromHours(1));
            Assert.NotEmpty(cache.Find(leaf));
        }

        _clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        Assert.Empty(cache.Find(leaf));
    }

    [Fact]
    public void An_entry_nobody_uses_for_the_idle_timeout_is_dropped_and_use_keeps_it()
    {
        using var cache = Cache(new PresentedChainCacheOptions { IdleTimeout = TimeSpan.FromMinutes(30) });
        var used = Leaf();
        var idle = Leaf();
        cache.Remember(used, [_pki.Issuing.Certificate], authenticated: true);
        cache.Remember(idle, [_pki.Issuing.Certificate], authenticated: true);

        for (var step = 0; step < 3; step++)
        {
            _clock.Advance(TimeSpan.FromMinutes(20));
            Assert.NotEmpty(cache.Find(used));
        }

        Assert.Empty(cache.Find(idle));
    }

    [Fact]
    public void An_expired_leaf_is_not_kept()
    {
        using var cache = Cache();
        var leaf = Leaf(lifetime: TimeSpan.FromHours(1));
        _clock.Advance(TimeSpan.FromHours(2));

        cache.Remember(leaf, [_pki.Issuing.Certificate], authenticated: true);

        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void No_intermediates_or_more_than_a_handshake_carries_never_replace_an_entry()
    {
        using var cache = Cache();
        var leaf = Leaf();
        cache.Remember(leaf, [_pki.Issuing.Certificate], authenticated: true);

        cache.Remember(leaf, [], authenticated: true);
        cache.Remember(leaf, [.. Enumerable.Repeat(_otherPki.Issuing.Certificate, PresentedCertificateChainFeature.MaxCertificates + 1)], authenticated: true);

        Assert.Equal(_pki.Issuing.Certificate.RawData, Assert.Single(cache.Find(leaf)).RawData);
    }

    [Fact]
    public void Another_set_replaces_an_entry_only_from_a_request_that_passed_every_check()
    {
        using var cache = Cache();
        var leaf = Leaf();
        cache.Remember(leaf, [_pki.Issuing.Certificate], authenticated: false);

        cache.Remember(leaf, [_otherPki.Issuing.Certificate], authenticated: false);
        Assert.Equal(_pki.Issuing.Certificate.RawData, Assert.Single(cache.Find(leaf)).RawData);

        cache.Remember(leaf, [_otherPki.Issuing.Certificate, _pki.Issuing.Certificate], authenticated: true);
        Assert.Equal(2, cache.Find(leaf).Count);
    }

    [Fact]
    public void A_request_with_intermediates_uses_them_and_one_without_uses_the_leafs_entry()
    {
        using var cache = Cache();
        var leaf = Leaf();
        cache.Remember(leaf, [_pki.Issuing.Certificate], authenticated: true);

        var fresh = cache.ForRequest(leaf, Handshake(leaf, _otherPki.Issuing.Certificate), out var rememberFresh);
        var resumed = cache.ForRequest(leaf, Handshake(leaf), out var rememberResumed);

        Assert.Equal(_otherPki.Issuing.Certificate.RawData, Assert.Single(fresh).RawData);
        Assert.True(rememberFresh);
        Assert.Equal(_pki.Issuing.Certificate.RawData, Assert.Single(resumed).RawData);
        Assert.False(rememberResumed);
    }

    [Fact]
    public void A_forwarded_certificate_is_never_helped_nor_remembered()
    {
        using var cache = Cache();
        var leaf = Leaf();
        cache.Remember(leaf, [_pki.Issuing.Certificate], authenticated: true);
        var forwarded = new FeatureCollection();
        forwarded.Set<ITlsConnectionFeature>(new ForwardedTlsConnectionFeature(leaf));
        forwarded.Set(PresentedCertificateChainFeature.Empty);
        forwarded.Set(new ForwardedClientCertificateFeature(ForwardingOutcome.Forwarded, null, "certificate forwarded by a trusted proxy"));

        var intermediates = cache.ForRequest(leaf, forwarded, out var remember);

        Assert.Empty(intermediates);
        Assert.False(remember);
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        _pki.Dispose();
        _otherPki.Dispose();
    }

    private PresentedChainCache Cache(PresentedChainCacheOptions? options = null) => new(Options.Create(options ?? new PresentedChainCacheOptions()), _clock);

    private X509Certificate2 Leaf(TimeSpan? lifetime = null)
    {
        var now = _clock.GetUtcNow();
        var leaf = _pki.IssueClient($"CN=client-{Guid.NewGuid():N}, O=Test Org",
            p => p with { NotBefore = now.AddMinutes(-5), NotAfter = now + (lifetime ?? TimeSpan.FromDays(30)) });
        _owned.Add(leaf);
        return leaf;
    }

    private static FeatureCollection Handshake(X509Certificate2 leaf, params X509Certificate2[] intermediates)
    {
        var features = new FeatureCollection();
        features.Set<ITlsConnectionFeature>(new TlsFeature(leaf));
        features.Set(new PresentedCertificateChainFeature(intermediates));
        return features;
    }

    private sealed class TlsFeature(X509Certificate2 certificate) : ITlsConnectionFeature
    {
        public X509Certificate2? ClientCertificate { get; set; } = certificate;

        public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult(ClientCertificate);
    }
}
