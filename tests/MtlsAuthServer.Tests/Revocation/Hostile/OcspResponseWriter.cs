using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Tests.Revocation.Hostile;

/// <summary>Writes the DER OCSPResponse (RFC 6960 §4.2.1) an <see cref="OcspAnswer"/> describes, to a <see cref="OcspQuery"/>.</summary>
public static class OcspResponseWriter
{
    /// <summary>id-pkix-ocsp-basic (RFC 6960 §4.2.1).</summary>
    private const string BasicResponseOid = "1.3.6.1.5.5.7.48.1.1";

    /// <summary>id-pkix-ocsp-nonce (RFC 6960 §4.4.1).</summary>
    private const string NonceOid = "1.3.6.1.5.5.7.48.1.2";

    /// <summary>OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED, responseBytes [0] EXPLICIT ResponseBytes OPTIONAL }.</summary>
    public static byte[] Write(OcspAnswer answer, OcspQuery query)
    {
        // RFC 6960 §4.2.1: only a successful response carries responseBytes; error statuses are unsigned.
        var der = answer.ResponseStatus != 0 ? WriteError(answer.ResponseStatus) : WriteSuccessful(answer, query);
        return answer.Truncate ? der[..(der.Length / 2)] : der;
    }

    /// <summary>An unsigned OCSPResponse with only an error responseStatus (RFC 6960 §4.2.1), e.g. 1 malformedRequest.</summary>
    public static byte[] WriteError(int responseStatus)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            WriteResponseStatus(writer, responseStatus);
        }

        return writer.Encode();
    }

    private static byte[] WriteSuccessful(OcspAnswer answer, OcspQuery query)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            WriteResponseStatus(writer, 0);

            // ResponseBytes ::= SEQUENCE { responseType OBJECT IDENTIFIER, response OCTET STRING (the BasicOCSPResponse DER) }
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(BasicResponseOid);
                writer.WriteOctetString(BasicResponse(answer, query));
            }
        }

        return writer.Encode();
    }

    /// <summary>BasicOCSPResponse ::= SEQUENCE { tbsResponseData, signatureAlgorithm, signature BIT STRING, certs [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL }.</summary>
    private static byte[] BasicResponse(OcspAnswer answer, OcspQuery query)
    {
        var signer = answer.Signer ?? throw new InvalidOperationException("A successful OCSP answer needs a Signer.");
        var tbs = ResponseData(answer, query, signer);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(tbs);
            DerSignature.WriteSignatureFields(writer, tbs, signer, answer.CorruptSignature);
            if (answer.IncludedCertificates.Count > 0)
            {
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                using (writer.PushSequence())
                {
                    foreach (var certificate in answer.IncludedCertificates)
                    {
                        writer.WriteEncodedValue(certificate.RawData);
                    }
                }
            }
        }

        return writer.Encode();
    }

    /// <summary>
    /// ResponseData ::= SEQUENCE { version [0] EXPLICIT DEFAULT v1 (left out, DER), responderID, producedAt,
    /// responses SEQUENCE OF SingleResponse, responseExtensions [1] EXPLICIT Extensions OPTIONAL }.
    /// </summary>
    private static byte[] ResponseData(OcspAnswer answer, OcspQuery query, X509Certificate2 signer)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            WriteResponderId(writer, answer, signer);
            DerFields.WriteGeneralizedTime(writer, answer.ProducedAt ?? answer.ThisUpdate);
            using (writer.PushSequence())
            {
                WriteSingleResponse(writer, answer, query);
            }

            var nonce = answer.EchoNonce ? answer.NonceOverride ?? query.Nonce : null;
            if (nonce is not null || answer.UnknownCriticalExtensionOid is not null)
            {
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true)))
                using (writer.PushSequence())
                {
                    if (nonce is { } value)
                    {
                        // RFC 8954 §2.1: the response's nonce extension carries the request's extnValue unchanged.
                        DerFields.WriteExtension(writer, NonceOid, critical: false, value.Span);
                    }

                    if (answer.UnknownCriticalExtensionOid is { } oid)
                    {
                        DerFields.WriteExtension(writer, oid, critical: true, DerFields.EmptyOctetString());
                    }
                }
            }
        }

        return writer.Encode();
    }

    /// <summary>ResponderID ::= CHOICE { byName [1] Name, byKey [2] KeyHash }, EXPLICIT tags (RFC 6960 Appendix B.1).</summary>
    private static void WriteResponderId(AsnWriter writer, OcspAnswer answer, X509Certificate2 signer)
    {
        signer = answer.ResponderIdNames ?? signer;
        if (answer.ResponderIdByName)
        {
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true)))
            {
                writer.WriteEncodedValue(signer.SubjectName.RawData);
            }

            return;
        }

        // KeyHash: SHA-1 of the subjectPublicKey BIT STRING's value, without tag, length and unused-bits octet.
        var spki = new AsnReader(signer.PublicKey.ExportSubjectPublicKeyInfo(), AsnEncodingRules.DER).ReadSequence();
        spki.ReadSequence();
        var publicKey = spki.ReadBitString(out _);
#pragma warning disable CA5350 // RFC 6960 fixes SHA-1 for KeyHash; it identifies, it does not protect.
        var keyHash = SHA1.HashData(publicKey);
#pragma warning restore CA5350
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2, isConstructed: true)))
        {
            writer.WriteOctetString(keyHash);
        }
    }

    /// <summary>
    /// SingleResponse ::= SEQUENCE { certID, certStatus, thisUpdate, nextUpdate [0] EXPLICIT OPTIONAL, singleExtensions [1] OPTIONAL };
    /// CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo, unknown [2] IMPLICIT NULL }.
    /// </summary>
    private static void WriteSingleResponse(AsnWriter writer, OcspAnswer answer, OcspQuery query)
    {
        using (writer.PushSequence())
        {
            if (answer.CertIdFromRequest)
            {
                writer.WriteEncodedValue(query.CertIdDer.Span);
            }
            else
            {
                WriteCertIdForAnotherSerial(writer, query);
            }

            switch (answer.Status)
            {
                case OcspCertStatus.Good:
                    writer.WriteNull(new Asn1Tag(TagClass.ContextSpecific, 0));
                    break;
                case OcspCertStatus.Revoked:
                    // RevokedInfo ::= SEQUENCE { revocationTime GeneralizedTime, revocationReason [0] EXPLICIT CRLReason OPTIONAL }
                    using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true)))
                    {
                        DerFields.WriteGeneralizedTime(writer, answer.RevokedAt ?? answer.ThisUpdate);
                        if (answer.RevocationReason is { } reason)
                        {
                            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                            {
                                writer.WriteEnumeratedValue(reason);
                            }
                        }
                    }

                    break;
                default:
                    writer.WriteNull(new Asn1Tag(TagClass.ContextSpecific, 2));
                    break;
            }

            DerFields.WriteGeneralizedTime(writer, answer.ThisUpdate);
            if (answer.NextUpdate is { } nextUpdate)
            {
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                {
                    DerFields.WriteGeneralizedTime(writer, nextUpdate);
                }
            }
        }
    }

    /// <summary>
    /// OCSPResponseStatus ::= ENUMERATED { successful (0), malformedRequest (1), internalError (2), tryLater (3),
    /// sigRequired (5), unauthorized (6) } (RFC 6960 §4.2.1), written as raw DER (tag 10, length 1) so that unused
    /// values such as 4 can be sent too; AsnWriter only writes ENUMERATED from a .NET enum.
    /// </summary>
    private static void WriteResponseStatus(AsnWriter writer, int status)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(status);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(status, 127);
        writer.WriteEncodedValue([0x0A, 0x01, (byte)status]);
    }

    /// <summary>The request's CertID with the serial's last bit flipped: same issuer, another certificate (RFC 6960 §4.1.1).</summary>
    private static void WriteCertIdForAnotherSerial(AsnWriter writer, OcspQuery query)
    {
        var certId = new AsnReader(query.CertIdDer, AsnEncodingRules.DER).ReadSequence();
        var hashAlgorithm = certId.ReadEncodedValue();
        var nameHash = certId.ReadOctetString();
        var keyHash = certId.ReadOctetString();
        var serial = certId.ReadIntegerBytes().ToArray();

        // Flipping the lowest bit keeps the first nine bits, so the INTEGER stays minimal DER (X.690 §8.3.2).
        serial[^1] ^= 0x01;
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(hashAlgorithm.Span);
            writer.WriteOctetString(nameHash);
            writer.WriteOctetString(keyHash);
            writer.WriteInteger(serial);
        }
    }
}
