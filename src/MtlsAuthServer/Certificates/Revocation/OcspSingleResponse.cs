using System.Formats.Asn1;
using System.Security.Cryptography;

namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>One certificate's answer inside an OCSP response (RFC 6960 §4.2.1), as read; <see cref="OcspResponse"/> decides whether it is believed.</summary>
internal sealed record OcspSingleResponse(
    OcspCertificateId Id, RevocationStatus Status, DateTimeOffset? RevokedAt, DateTimeOffset ThisUpdate, DateTimeOffset? NextUpdate)
{
    /// <summary>
    /// SingleResponse ::= SEQUENCE { certID, certStatus, thisUpdate, nextUpdate [0] EXPLICIT OPTIONAL, singleExtensions [1] EXPLICIT OPTIONAL };
    /// CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo, unknown [2] IMPLICIT NULL }.
    /// </summary>
    public static OcspSingleResponse Read(AsnReader responses)
    {
        var single = responses.ReadSequence();
        var id = OcspCertificateId.Read(single);

        RevocationStatus status;
        DateTimeOffset? revokedAt = null;
        var tag = single.PeekTag();
        if (tag == new Asn1Tag(TagClass.ContextSpecific, 0))
        {
            single.ReadNull(tag);
            status = RevocationStatus.Good;
        }
        else if (tag == new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true))
        {
            // RevokedInfo ::= SEQUENCE { revocationTime GeneralizedTime, revocationReason [0] EXPLICIT CRLReason OPTIONAL }
            var info = single.ReadSequence(tag);
            revokedAt = info.ReadGeneralizedTime();
            if (info.HasData)
            {
                var reason = info.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
                reason.ReadEnumeratedBytes();
                reason.ThrowIfNotEmpty();
            }

            info.ThrowIfNotEmpty();
            status = RevocationStatus.Revoked;
        }
        else if (tag == new Asn1Tag(TagClass.ContextSpecific, 2))
        {
            single.ReadNull(tag);
            status = RevocationStatus.Unknown;
        }
        else
        {
            throw new CryptographicException("The OCSP response's certStatus is malformed.");
        }

        var thisUpdate = single.ReadGeneralizedTime();
        DateTimeOffset? nextUpdate = null;
        if (single.HasData && single.PeekTag() == new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true))
        {
            var wrapper = single.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
            nextUpdate = wrapper.ReadGeneralizedTime();
            wrapper.ThrowIfNotEmpty();
            if (nextUpdate < thisUpdate)
            {
                throw new CryptographicException("The OCSP response's nextUpdate precedes its thisUpdate.");
            }
        }

        if (single.HasData)
        {
            var wrapper = single.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 1));
            foreach (var (oid, critical, _) in DerExtensions.Read(wrapper))
            {
                if (critical)
                {
                    throw new CryptographicException($"Unsupported critical OCSP single-response extension {oid}.");
                }
            }

            wrapper.ThrowIfNotEmpty();
        }

        single.ThrowIfNotEmpty();
        return new OcspSingleResponse(id, status, revokedAt, thisUpdate, nextUpdate);
    }
}
