using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>
/// CRLs fetched from distribution points, under the rules of <see cref="RevocationDataCache{T}"/>. A CRL is
/// authenticated against the issuer that asked for it before it is cached or counts for rollback, so an unsigned
/// CRL can neither answer nor push the high-water mark of a real issuer.
/// </summary>
public sealed class CrlCache(RevocationHttpFetcher fetcher, TimeProvider time, IOptionsMonitor<RevocationOptions> options, RevocationEvents events)
{
    private readonly RevocationDataCache<CertificateRevocationList> _cache = new(time, options, events, RevocationSourceKind.Crl, _ => null);

    /// <summary>Returns a current CRL from <paramref name="uri"/> signed by <paramref name="issuer"/>, or null with the reason it could not be had.</summary>
    public ValueTask<(CertificateRevocationList? Crl, string Detail)> GetAsync(Uri uri, X509Certificate2 issuer, CancellationToken cancellationToken)
    {
        var key = $"{uri.AbsoluteUri} {Convert.ToHexString(SHA256.HashData(issuer.PublicKey.EncodedKeyValue.RawData))}";

        // The fetch is shared by every waiting request and may outlive this caller, so it uses neither the caller's
        // cancellation nor its certificate object: the fetch timeout bounds it, and it gets its own copy of the issuer.
        var issuerDer = issuer.RawData;
        return _cache.GetAsync(key, uri.AbsoluteUri, () => FetchAsync(uri, issuerDer), cancellationToken);
    }

    /// <summary>Sources seen so far (for the monitoring inventory).</summary>
    public IEnumerable<(string Uri, CertificateRevocationList? Crl)> Known => _cache.Known;

    /// <summary>Distribution points whose last fetch failed and that have no usable CRL.</summary>
    public IEnumerable<RevocationSourceFailure> Failing() => _cache.Failing();

    private async Task<CertificateRevocationList> FetchAsync(Uri uri, byte[] issuerDer)
    {
        var crl = CertificateRevocationList.Parse(await fetcher.GetAsync(uri, CancellationToken.None).ConfigureAwait(false));
        using var issuer = X509CertificateLoader.LoadCertificate(issuerDer);
        return crl.Authenticate(issuer, out var reason) ? crl : throw new CryptographicException(reason);
    }
}
