using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>
/// A verified OCSP answer for one certificate (RFC 6960 §4.2): only <see cref="Parse"/> creates one, and it throws
/// unless the response is well-formed, answers our CertID, echoes our nonce (if it echoes one), is current, and is
/// signed by the issuer or by a responder the issuer authorised (RFC 6960 §4.2.2.2).
/// </summary>
public sealed class OcspResponse : IRevocationAnswer<OcspResponse>
{
    /// <summary>id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1): the CA vouches for its responder for the certificate's lifetime.</summary>
    public const string NoCheckOid = "1.3.6.1.5.5.7.48.1.5";

    /// <summary>MIME type of a response body (RFC 6960 Appendix A.1).</summary>
    public const string MediaType = "application/ocsp-response";

    /// <summary>id-pkix-ocsp-basic (RFC 6960 §4.2.1), the only response type responders use.</summary>
    private const string BasicResponseOid = "1.3.6.1.5.5.7.48.1.1";

    /// <summary>An honest response carries at most its signer and that signer's issuer; more only costs verifications.</summary>
    private const int MaxIncludedCertificates = 8;

    /// <summary>Tolerated clock difference for a thisUpdate ahead of our clock, as for CRLs.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private OcspResponse(OcspSingleResponse answer, OcspSigner signer, bool nonceEchoed, OcspCertificateId id)
    {
        Status = answer.Status;
        RevokedAt = answer.RevokedAt;
        ThisUpdate = answer.ThisUpdate;
        NextUpdate = answer.NextUpdate;
        Signer = signer.Description;
        DelegatedResponder = signer.Responder;
        NonceEchoed = nonceEchoed;
        ScopeKey = $"{Convert.ToHexString(id.IssuerKeyHash.Span)} {id.SerialNumber}";
    }

    private enum ResponseStatus
    {
        Successful = 0,
        MalformedRequest = 1,
        InternalError = 2,
        TryLater = 3,
        SigRequired = 5,
        Unauthorized = 6,
    }

    /// <summary>good, revoked or unknown (RFC 6960 §2.2).</summary>
    public RevocationStatus Status { get; }

    public DateTimeOffset? RevokedAt { get; }

    public DateTimeOffset ThisUpdate { get; }

    /// <summary>Absent when the responder always has newer information (RFC 6960 §4.2.2.1).</summary>
    public DateTimeOffset? NextUpdate { get; }

    /// <summary>Who signed it: the issuer, or the delegated responder's subject (for logs).</summary>
    public string Signer { get; }

    /// <summary>Whether the responder echoed our nonce, i.e. the answer is known not to be a replay.</summary>
    public bool NonceEchoed { get; }

    /// <summary>
    /// The delegated responder's certificate when one signed (null when the issuer signed). Without
    /// <see cref="NoCheckOid"/> its own revocation status must be checked before the answer is believed (RFC 6960 §4.2.2.2.1).
    /// </summary>
    public X509Certificate2? DelegatedResponder { get; }

    /// <summary>Whether <see cref="DelegatedResponder"/> carries id-pkix-ocsp-nocheck.</summary>
    public bool ResponderIsNoCheck => DelegatedResponder?.Extensions[NoCheckOid] is not null;

    /// <summary>Issuer key hash and serial: answers about the same certificate, from whichever responder.</summary>
    public string ScopeKey { get; }

    public bool IsOlderThan(OcspResponse held) => ThisUpdate < held.ThisUpdate;

    public string Describe() => $"OCSP {Status} of {ThisUpdate:O}" + (NextUpdate is { } next ? $", next update {next:O}" : ", no nextUpdate");

    /// <summary>
    /// Parses and verifies a DER OCSPResponse to <paramref name="request"/> about a certificate issued by
    /// <paramref name="issuer"/>, at <paramref name="now"/>. Throws <see cref="CryptographicException"/> on anything
    /// malformed, unsuccessful, unverifiable or out of date.
    /// </summary>
    public static OcspResponse Parse(ReadOnlyMemory<byte> data, OcspRequest request, X509Certificate2 issuer, DateTimeOffset now)
    {
        try
        {
            return ParseDer(data, request, issuer, now);
        }
        catch (CryptographicException)
        {
            throw;
        }
        catch (Exception exception)
        {
            // Whatever the bytes are, the caller gets one exception type to handle.
            throw new CryptographicException($"The OCSP response is malformed ({exception.GetType().Name}).", exception);
        }
    }

    private static OcspResponse ParseDer(ReadOnlyMemory<byte> data, OcspRequest request, X509Certificate2 issuer, DateTimeOffset now)
    {
        var basicDer = ReadBasicResponse(data);

        // BasicOCSPResponse ::= SEQUENCE { tbsResponseData, signatureAlgorithm, signature BIT STRING, certs [0] EXPLICIT ... OPTIONAL }
        var document = new AsnReader(basicDer, AsnEncodingRules.DER);
        var basic = document.ReadSequence();
        document.ThrowIfNotEmpty();
        var signed = basic.PeekEncodedValue();
        var tbs = basic.ReadSequence();
        var signatureAlgorithm = SignatureVerifier.ReadAlgorithm(basic);
        var signature = basic.ReadBitString(out var unusedBits);
        if (unusedBits != 0)
        {
            throw new CryptographicException("The OCSP response signature is not a whole number of octets.");
        }

        var certificates = new List<X509Certificate2>();
        try
        {
            if (basic.HasData)
            {
                var wrapper = basic.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
                var list = wrapper.ReadSequence();
                wrapper.ThrowIfNotEmpty();
                while (list.HasData)
                {
                    if (certificates.Count == MaxIncludedCertificates)
                    {
                        throw new CryptographicException($"The OCSP response carries more than {MaxIncludedCertificates} certificates.");
                    }

                    certificates.Add(X509CertificateLoader.LoadCertificate(list.ReadEncodedValue().Span));
                }
            }

            basic.ThrowIfNotEmpty();

            var (answer, nonce, producedAt, responderId) = ReadResponseData(tbs, request.CertificateId);

            // RFC 8954 §2.1: a responder may leave the nonce out, but one it includes must be ours, or this is a replay.
            if (nonce is not null && !nonce.AsSpan().SequenceEqual(request.NonceExtensionValue.Span))
            {
                throw new CryptographicException("The OCSP response's nonce is not the one we sent.");
            }

            var signer = OcspSigner.Find(signed.Span, signatureAlgorithm, signature, certificates, issuer, now);
            if (!responderId.Names(signer.Responder ?? issuer))
            {
                throw new CryptographicException("The OCSP response's responderID does not name the certificate that signed it.");
            }

            if (signer.Responder is { } responder)
            {
                // The responder certificate outlives this method (the caller checks its revocation); keep it out of the dispose list.
                certificates.Remove(responder);
            }

            // RFC 6960 §3.2 items 5-6: thisUpdate is sufficiently recent, and nextUpdate, if set, is not in the past.
            if (answer.ThisUpdate > now + ClockSkew)
            {
                throw new CryptographicException($"The OCSP response's thisUpdate {answer.ThisUpdate:O} is in the future.");
            }

            if (producedAt > now + ClockSkew)
            {
                throw new CryptographicException($"The OCSP response's producedAt {producedAt:O} is in the future.");
            }

            if (answer.NextUpdate is { } nextUpdate && now > nextUpdate)
            {
                throw new CryptographicException($"The OCSP response expired at {nextUpdate:O}.");
            }

            return new OcspResponse(answer, signer, nonce is not null, request.CertificateId);
        }
        finally
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }
        }
    }

    /// <summary>OCSPResponse ::= SEQUENCE { responseStatus, responseBytes [0] EXPLICIT ResponseBytes OPTIONAL } (RFC 6960 §4.2.1).</summary>
    private static ReadOnlyMemory<byte> ReadBasicResponse(ReadOnlyMemory<byte> data)
    {
        var document = new AsnReader(data, AsnEncodingRules.DER);
        var response = document.ReadSequence();
        document.ThrowIfNotEmpty();

        // Error statuses are unsigned (RFC 6960 §4.2.1), so they say nothing trustworthy about the certificate.
        var status = response.ReadEnumeratedValue<ResponseStatus>();
        if (status != ResponseStatus.Successful)
        {
            throw new CryptographicException($"The OCSP responder answered {status}.");
        }

        var wrapper = response.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
        response.ThrowIfNotEmpty();
        var responseBytes = wrapper.ReadSequence();
        wrapper.ThrowIfNotEmpty();
        var responseType = responseBytes.ReadObjectIdentifier();
        if (responseType != BasicResponseOid)
        {
            throw new CryptographicException($"Unsupported OCSP response type {responseType}.");
        }

        var basic = responseBytes.ReadOctetString();
        responseBytes.ThrowIfNotEmpty();
        return basic;
    }

    /// <summary>
    /// ResponseData ::= SEQUENCE { version [0] EXPLICIT DEFAULT v1, responderID, producedAt, responses, responseExtensions [1] EXPLICIT OPTIONAL }.
    /// Returns the answer for <paramref name="ours"/> and the echoed nonce's extnValue, if any.
    /// </summary>
    private static (OcspSingleResponse Answer, byte[]? Nonce, DateTimeOffset ProducedAt, OcspResponderId ResponderId) ReadResponseData(AsnReader tbs, OcspCertificateId ours)
    {
        var versionTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
        if (tbs.PeekTag() == versionTag)
        {
            var version = tbs.ReadSequence(versionTag);
            if (!version.TryReadInt32(out var value) || value != 0)
            {
                throw new CryptographicException("Only v1 OCSP responses are supported.");
            }

            version.ThrowIfNotEmpty();
        }

        // ResponderID ::= CHOICE { byName [1] Name, byKey [2] KeyHash }. The signer is authorised by its key and
        // delegation (RFC 6960 §4.2.2.2); this label must still name that signer (§4.2.2.3), checked once it is found.
        var responderIdTag = tbs.PeekTag();
        if (responderIdTag.TagClass != TagClass.ContextSpecific || responderIdTag.TagValue is not (1 or 2) || !responderIdTag.IsConstructed)
        {
            throw new CryptographicException("The OCSP response's responderID is malformed.");
        }

        var responderId = OcspResponderId.Read(tbs);
        var producedAt = tbs.ReadGeneralizedTime();

        OcspSingleResponse? answer = null;
        var responses = tbs.ReadSequence();
        while (responses.HasData)
        {
            var single = OcspSingleResponse.Read(responses);
            if (answer is null && single.Id.Matches(ours))
            {
                answer = single;
            }
        }

        byte[]? nonce = null;
        if (tbs.HasData)
        {
            var wrapper = tbs.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 1));
            foreach (var (oid, critical, value) in DerExtensions.Read(wrapper))
            {
                if (oid == OcspRequest.NonceOid)
                {
                    nonce = nonce is null ? value : throw new CryptographicException("The OCSP response carries two nonces.");
                }
                else if (critical)
                {
                    throw new CryptographicException($"Unsupported critical OCSP response extension {oid}.");
                }
            }

            wrapper.ThrowIfNotEmpty();
        }

        tbs.ThrowIfNotEmpty();
        return (answer ?? throw new CryptographicException("The OCSP response does not answer for the requested certificate."), nonce, producedAt, responderId);
    }
}
