using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>
/// Verified OCSP answers per (responder URL, issuer key hash, serial number), under the same rules as CRLs
/// (<see cref="RevocationDataCache{T}"/>): kept for <see cref="RevocationOptions.RefreshInterval"/> and never past
/// the response's nextUpdate, one request per key at a time, failures remembered for
/// <see cref="RevocationOptions.FailureCacheDuration"/>.
/// </summary>
public sealed class OcspCache(RevocationHttpFetcher fetcher, TimeProvider time, IOptionsMonitor<RevocationOptions> options)
{
    private readonly RevocationDataCache<OcspResponse> _cache = new(time, options, IsCurrent, "OCSP response");

    /// <summary>Returns a current, verified answer from <paramref name="responder"/>, or null with the reason it could not be had.</summary>
    public ValueTask<(OcspResponse? Response, string Detail)> GetAsync(
        Uri responder, X509Certificate2 certificate, X509Certificate2 issuer, CancellationToken cancellationToken)
    {
        OcspCertificateId id;
        try
        {
            id = OcspCertificateId.For(certificate, issuer);
        }
        catch (CryptographicException exception)
        {
            return ValueTask.FromResult<(OcspResponse?, string)>((null, exception.Message));
        }

        var key = $"{responder.AbsoluteUri} {Convert.ToHexString(id.IssuerKeyHash.Span)} {id.SerialNumber}";

        // The fetch is shared by every waiting request and may outlive this caller, so it must not use the caller's
        // cancellation or its certificate objects: it gets its own copy of the issuer, and the fetch timeout bounds it.
        var issuerDer = issuer.RawData;
        return _cache.GetAsync(key, () => FetchAsync(responder, id, issuerDer), cancellationToken);
    }

    private async Task<OcspResponse> FetchAsync(Uri responder, OcspCertificateId id, byte[] issuerDer)
    {
        // A fresh nonce per fetch: a cached answer was checked against the nonce of the request that fetched it.
        var request = OcspRequest.Create(id);

        // RFC 6960 Appendix A.1: POST the DER request; the answer must be labelled application/ocsp-response.
        var body = await fetcher.PostAsync(responder, request.Encode(), OcspRequest.MediaType, OcspResponse.MediaType, CancellationToken.None)
            .ConfigureAwait(false);
        using var issuer = X509CertificateLoader.LoadCertificate(issuerDer);
        return OcspResponse.Parse(body, request, issuer, time.GetUtcNow());
    }

    private static bool IsCurrent(OcspResponse response, DateTimeOffset now) =>
        response.ThisUpdate <= now + TimeSpan.FromMinutes(5) && (response.NextUpdate is not { } next || now <= next);
}
