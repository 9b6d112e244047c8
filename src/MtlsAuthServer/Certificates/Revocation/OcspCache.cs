using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>
/// Verified OCSP answers per (responder URL, issuer key hash, serial number), under the rules of
/// <see cref="RevocationDataCache{T}"/>, with <see cref="RevocationOptions.OcspMaxAge"/> as the oldest thisUpdate
/// believed. Rollback is judged per certificate across responders: an older answer from any of them is refused.
/// </summary>
public sealed class OcspCache(RevocationHttpFetcher fetcher, TimeProvider time, IOptionsMonitor<RevocationOptions> options, RevocationEvents events)
{
    private readonly RevocationDataCache<OcspResponse> _cache = new(time, options, events, RevocationSourceKind.Ocsp, settings => settings.OcspMaxAge);

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
        return _cache.GetAsync(key, responder.AbsoluteUri, () => FetchAsync(responder, id, issuerDer), cancellationToken);
    }

    /// <summary>Responders whose last answer could not be used and that have no usable one.</summary>
    public IEnumerable<RevocationSourceFailure> Failing() => _cache.Failing();

    private async Task<OcspResponse> FetchAsync(Uri responder, OcspCertificateId id, byte[] issuerDer)
    {
        // A fresh nonce per fetch: a cached answer was checked against the nonce of the request that fetched it.
        var request = OcspRequest.Create(id);

        // RFC 6960 Appendix A.1: POST the DER request; the answer must be labelled application/ocsp-response.
        var body = await fetcher.PostAsync(responder, request.Encode(), OcspRequest.MediaType, OcspResponse.MediaType, CancellationToken.None)
            .ConfigureAwait(false);
        using var issuer = X509CertificateLoader.LoadCertificate(issuerDer);
        var response = OcspResponse.Parse(body, request, issuer, time.GetUtcNow());
        return options.CurrentValue.RequireOcspNonce && !response.NonceEchoed
            ? throw new CryptographicException("The OCSP response does not echo our nonce (Revocation:RequireOcspNonce is on).")
            : response;
    }
}
