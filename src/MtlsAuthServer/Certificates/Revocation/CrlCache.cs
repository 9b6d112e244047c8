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
    private readonly RevocationDataCache<CertificateRevocationList> _cache = new(time, options, IsCurrent, "CRL");

    /// <summary>Returns a current CRL for the URL, or null with the reason it could not be had.</summary>
    public ValueTask<(CertificateRevocationList? Crl, string Detail)> GetAsync(Uri uri, CancellationToken cancellationToken) =>
        // The fetch is shared by every waiting request, so no single caller's cancellation may abort it; the fetch timeout bounds it.
        _cache.GetAsync(uri.AbsoluteUri, async () => CertificateRevocationList.Parse(
            await fetcher.GetAsync(uri, CancellationToken.None).ConfigureAwait(false)), cancellationToken);

    /// <summary>URLs seen so far (for the background refresher and the metrics).</summary>
    public IEnumerable<(string Uri, CertificateRevocationList? Crl)> Known => _cache.Known;

    private static bool IsCurrent(CertificateRevocationList crl, DateTimeOffset now) =>
        crl.ThisUpdate <= now + TimeSpan.FromMinutes(5) && (crl.NextUpdate is not { } next || now <= next);
}
