using System.Security.Cryptography;
using MtlsAuthServer.Certificates.Revocation;

namespace MtlsAuthServer.Tests.Revocation;

/// <summary>
/// The revocation table is bounded: past <see cref="RevocationDataCache{T}.MaxEntries"/> keys, entries holding nothing
/// usable are swept, so a flood of distinct (chain-validated) certificates can't grow memory without limit.
/// </summary>
public sealed class RevocationCacheBoundSpecs : IDisposable
{
    private readonly RevocationServices _services = new();

    [Fact]
    public async Task Failed_entries_are_swept_once_the_table_passes_its_bound()
    {
        var cache = new RevocationDataCache<CertificateRevocationList>(
            _services.Time, new FixedOptionsMonitor<RevocationOptions>(_services.Options), _services.Events, RevocationSourceKind.Crl, _ => null);
        var extra = 500;

        for (var i = 0; i < RevocationDataCache<CertificateRevocationList>.MaxEntries + extra; i++)
        {
            var (item, _) = await cache.GetAsync($"key-{i}", $"http://crl.test/{i}.crl",
                () => Task.FromException<CertificateRevocationList>(new CryptographicException("unreachable")), CancellationToken.None);
            Assert.Null(item);
        }

        Assert.True(cache.Known.Count() <= RevocationDataCache<CertificateRevocationList>.MaxEntries,
            $"{cache.Known.Count()} entries kept");
    }

    public void Dispose() => _services.Dispose();
}
