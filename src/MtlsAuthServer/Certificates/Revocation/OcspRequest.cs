using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>
/// An unsigned OCSPRequest (RFC 6960 §4.1) for one certificate, with a fresh random nonce (RFC 8954) so that a
/// response echoing it cannot be a replay.
/// </summary>
public sealed class OcspRequest
{
    /// <summary>MIME type of the request body (RFC 6960 Appendix A.1).</summary>
    public const string MediaType = "application/ocsp-request";

    /// <summary>id-pkix-ocsp-nonce (RFC 6960 §4.4.1).</summary>
    public const string NonceOid = "1.3.6.1.5.5.7.48.1.2";

    /// <summary>RFC 8954 §2.1: a nonce is 1 to 32 octets and SHOULD be 32.</summary>
    private const int NonceLength = 32;

    private readonly byte[] _nonceExtensionValue;
    private readonly byte[] _encoded;

    private OcspRequest(OcspCertificateId certificateId, byte[] nonceExtensionValue, byte[] encoded)
    {
        CertificateId = certificateId;
        _nonceExtensionValue = nonceExtensionValue;
        _encoded = encoded;
    }

    public OcspCertificateId CertificateId { get; }

    /// <summary>The nonce extension's extnValue contents (DER <c>Nonce ::= OCTET STRING</c>), as a response must echo it.</summary>
    public ReadOnlyMemory<byte> NonceExtensionValue => _nonceExtensionValue;

    public static OcspRequest Create(X509Certificate2 certificate, X509Certificate2 issuer) =>
        Create(OcspCertificateId.For(certificate, issuer));

    /// <summary>A request about <paramref name="certificateId"/>, with a nonce of its own.</summary>
    public static OcspRequest Create(OcspCertificateId certificateId)
    {
        var nonce = new AsnWriter(AsnEncodingRules.DER);
        nonce.WriteOctetString(RandomNumberGenerator.GetBytes(NonceLength));
        var nonceExtensionValue = nonce.Encode();

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            // TBSRequest: version v1 is the DEFAULT, so DER omits it; no requestorName (the request is unsigned).
            using (writer.PushSequence())
            {
                using (writer.PushSequence())
                {
                    // Request ::= SEQUENCE { reqCert CertID, singleRequestExtensions [0] EXPLICIT Extensions OPTIONAL }
                    using (writer.PushSequence())
                    {
                        certificateId.WriteTo(writer);
                    }
                }

                // requestExtensions [2] EXPLICIT Extensions: the nonce, not critical (RFC 8954 §2.1).
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2, isConstructed: true)))
                using (writer.PushSequence())
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(NonceOid);
                    writer.WriteOctetString(nonceExtensionValue);
                }
            }
        }

        return new OcspRequest(certificateId, nonceExtensionValue, writer.Encode());
    }

    /// <summary>The DER OCSPRequest to POST.</summary>
    public byte[] Encode() => (byte[])_encoded.Clone();
}
