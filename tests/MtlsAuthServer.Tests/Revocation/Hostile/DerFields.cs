using System.Formats.Asn1;

namespace MtlsAuthServer.Tests.Revocation.Hostile;

/// <summary>The small DER pieces that CRLs and OCSP responses share: times and extensions.</summary>
internal static class DerFields
{
    /// <summary>
    /// RFC 5280 §5.1.2.4: a CRL's times are UTCTime through 2049 and GeneralizedTime from 2050 on, in UTC and to
    /// the second (§4.1.2.5.1/§4.1.2.5.2: no fractional seconds).
    /// </summary>
    public static void WriteX509Time(AsnWriter writer, DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        if (utc.Year is >= 1950 and < 2050)
        {
            writer.WriteUtcTime(utc);
        }
        else
        {
            writer.WriteGeneralizedTime(utc, omitFractionalSeconds: true);
        }
    }

    /// <summary>RFC 6960 §4.2.1: OCSP times are always GeneralizedTime; DER has no fractional seconds here.</summary>
    public static void WriteGeneralizedTime(AsnWriter writer, DateTimeOffset value) =>
        writer.WriteGeneralizedTime(value.ToUniversalTime(), omitFractionalSeconds: true);

    /// <summary>
    /// Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING } (RFC 5280 §4.1):
    /// DER leaves a FALSE default out (X.690 §11.5).
    /// </summary>
    public static void WriteExtension(AsnWriter writer, string oid, bool critical, ReadOnlySpan<byte> value)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            if (critical)
            {
                writer.WriteBoolean(true);
            }

            writer.WriteOctetString(value);
        }
    }

    /// <summary>The DER of <c>OCTET STRING</c> with no contents: the value of an extension we only want to be there.</summary>
    public static byte[] EmptyOctetString()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteOctetString([]);
        return writer.Encode();
    }
}
