using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Pki;

/// <summary>
/// Reads back what a CRL this PKI published says (entries, number, dates), to rebuild a CA's state when its
/// state file is missing. It trusts the file it reads: it is the CA's own output, not input from a peer.
/// </summary>
internal static class CrlContents
{
    private const string CrlReasonOid = "2.5.29.21";

    public static CaState Read(byte[] crl)
    {
        try
        {
            return ReadDer(crl);
        }
        catch (Exception exception) when (exception is AsnContentException or ArgumentException)
        {
            throw new CryptographicException("The existing CRL can't be read back; restore the CA's state file.", exception);
        }
    }

    private static CaState ReadDer(byte[] der)
    {
        var tbs = new AsnReader(der, AsnEncodingRules.DER).ReadSequence().ReadSequence();
        if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
        {
            tbs.ReadInteger();
        }

        tbs.ReadSequence(); // signature algorithm
        tbs.ReadSequence(); // issuer
        var thisUpdate = ReadTime(tbs);
        DateTimeOffset? nextUpdate = tbs.HasData && IsTime(tbs.PeekTag()) ? ReadTime(tbs) : null;

        var revoked = new List<RevocationRecord>();
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var entries = tbs.ReadSequence();
            while (entries.HasData)
            {
                var entry = entries.ReadSequence();
                var serial = SerialNumbers.Canonical(entry.ReadIntegerBytes().Span);
                var revokedAt = ReadTime(entry);
                var reason = X509RevocationReason.Unspecified;
                if (entry.HasData)
                {
                    var extensions = entry.ReadSequence();
                    while (extensions.HasData)
                    {
                        var extension = extensions.ReadSequence();
                        var oid = extension.ReadObjectIdentifier();
                        if (extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean))
                        {
                            extension.ReadBoolean();
                        }

                        var value = extension.ReadOctetString();
                        if (oid == CrlReasonOid)
                        {
                            reason = new AsnReader(value, AsnEncodingRules.DER).ReadEnumeratedValue<X509RevocationReason>();
                        }
                    }
                }

                revoked.Add(new RevocationRecord(serial, revokedAt, reason));
            }
        }

        _ = CertificateRevocationListBuilder.Load(der, out BigInteger crlNumber);
        return new CaState
        {
            CrlNumber = (long)crlNumber,
            ThisUpdate = thisUpdate,
            NextUpdate = nextUpdate,
            Revoked = revoked,
        };
    }

    private static bool IsTime(Asn1Tag tag) =>
        tag.HasSameClassAndValue(Asn1Tag.UtcTime) || tag.HasSameClassAndValue(Asn1Tag.GeneralizedTime);

    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();
}
