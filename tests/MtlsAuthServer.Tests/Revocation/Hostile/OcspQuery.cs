using System.Formats.Asn1;

namespace MtlsAuthServer.Tests.Revocation.Hostile;

/// <summary>What an OCSPRequest (RFC 6960 §4.1.1) asked: its first CertID, exactly as sent, and its nonce.</summary>
public sealed class OcspQuery
{
    private const string NonceOid = "1.3.6.1.5.5.7.48.1.2";

    private OcspQuery(ReadOnlyMemory<byte> certIdDer, ReadOnlyMemory<byte> serialNumber, ReadOnlyMemory<byte>? nonce, ReadOnlyMemory<byte> requestDer)
    {
        CertIdDer = certIdDer;
        SerialNumber = serialNumber;
        Nonce = nonce;
        RequestDer = requestDer;
    }

    /// <summary>The first Request's reqCert, as DER, to be echoed byte for byte (RFC 6960 §4.2.2.3 matches on it).</summary>
    public ReadOnlyMemory<byte> CertIdDer { get; }

    /// <summary>The CertID's serialNumber INTEGER contents (big-endian, as <c>X509Certificate2.SerialNumberBytes</c>).</summary>
    public ReadOnlyMemory<byte> SerialNumber { get; }

    /// <summary>
    /// The nonce extension's extnValue contents (the DER <c>Nonce ::= OCTET STRING</c>, RFC 8954 §2.1), as the
    /// production client compares them; null when the request carries no nonce.
    /// </summary>
    public ReadOnlyMemory<byte>? Nonce { get; }

    /// <summary>The whole OCSPRequest as received.</summary>
    public ReadOnlyMemory<byte> RequestDer { get; }

    /// <summary>
    /// OCSPRequest ::= SEQUENCE { tbsRequest, optionalSignature [0] EXPLICIT OPTIONAL }; TBSRequest ::= SEQUENCE {
    /// version [0] EXPLICIT DEFAULT v1, requestorName [1] EXPLICIT OPTIONAL, requestList SEQUENCE OF Request,
    /// requestExtensions [2] EXPLICIT Extensions OPTIONAL }. Throws <see cref="AsnContentException"/> when malformed.
    /// </summary>
    public static OcspQuery Parse(ReadOnlyMemory<byte> der)
    {
        var document = new AsnReader(der, AsnEncodingRules.DER);
        var tbs = document.ReadSequence().ReadSequence();
        document.ThrowIfNotEmpty();
        SkipIfTagged(tbs, 0);
        SkipIfTagged(tbs, 1);

        // Request ::= SEQUENCE { reqCert CertID, singleRequestExtensions [0] EXPLICIT OPTIONAL }
        var requests = tbs.ReadSequence();
        var request = requests.ReadSequence();
        var certIdDer = request.PeekEncodedValue();
        var certId = request.ReadSequence();
        certId.ReadSequence();
        certId.ReadOctetString();
        certId.ReadOctetString();
        var serial = certId.ReadIntegerBytes();

        ReadOnlyMemory<byte>? nonce = null;
        var extensionsTag = new Asn1Tag(TagClass.ContextSpecific, 2, isConstructed: true);
        if (tbs.HasData && tbs.PeekTag() == extensionsTag)
        {
            var extensions = tbs.ReadSequence(extensionsTag).ReadSequence();
            while (extensions.HasData)
            {
                var extension = extensions.ReadSequence();
                var oid = extension.ReadObjectIdentifier();
                if (extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean))
                {
                    extension.ReadBoolean();
                }

                var value = extension.ReadOctetString();
                if (oid == NonceOid)
                {
                    nonce = value;
                }
            }
        }

        return new OcspQuery(certIdDer, serial, nonce, der);
    }

    private static void SkipIfTagged(AsnReader reader, int tag)
    {
        if (reader.HasData && reader.PeekTag() == new Asn1Tag(TagClass.ContextSpecific, tag, isConstructed: true))
        {
            reader.ReadEncodedValue();
        }
    }
}
