using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MtlsAuthServer.Pki;

/// <summary>
/// Writes a certificate's DER name as an RFC 4514 string (<see cref="DistinguishedName.Format"/>), with the values as
/// the certificate spells them (not normalised), so a printed registration is derived from the certificate itself.
/// </summary>
internal static class Rfc4514Writer
{
    // RFC 4514 §3: the only short names a conforming reader must know; everything else is written as an OID.
    private static readonly Dictionary<string, string> ShortNames = new(StringComparer.Ordinal)
    {
        ["2.5.4.3"] = "CN",
        ["2.5.4.7"] = "L",
        ["2.5.4.8"] = "ST",
        ["2.5.4.10"] = "O",
        ["2.5.4.11"] = "OU",
        ["2.5.4.6"] = "C",
        ["2.5.4.9"] = "STREET",
        ["0.9.2342.19200300.100.1.25"] = "DC",
        ["0.9.2342.19200300.100.1.1"] = "UID",
    };

    public static string Format(X500DistinguishedName name)
    {
        var rdns = new List<string>();
        var sequence = new AsnReader(name.RawData, AsnEncodingRules.DER).ReadSequence();
        while (sequence.HasData)
        {
            var set = sequence.ReadSetOf();
            var attributes = new List<string>();
            while (set.HasData)
            {
                var attribute = set.ReadSequence();
                var oid = attribute.ReadObjectIdentifier();
                var type = ShortNames.TryGetValue(oid, out var shortName) ? shortName : oid;
                attributes.Add(type + "=" + FormatValue(attribute));
            }

            rdns.Add(string.Join('+', attributes));
        }

        // RFC 4514 §2.1: the last RDN of the sequence comes first.
        rdns.Reverse();
        return string.Join(',', rdns);
    }

    private static string FormatValue(AsnReader attribute)
    {
        var tag = attribute.PeekTag();
        if (tag.TagClass == TagClass.Universal && (UniversalTagNumber)tag.TagValue is UniversalTagNumber.UTF8String
                or UniversalTagNumber.PrintableString or UniversalTagNumber.IA5String or UniversalTagNumber.BMPString
                or UniversalTagNumber.T61String or UniversalTagNumber.VisibleString or UniversalTagNumber.NumericString
                or UniversalTagNumber.UniversalString)
        {
            return Escape(attribute.ReadCharacterString((UniversalTagNumber)tag.TagValue));
        }

        // RFC 4514 §2.4: values of other types as '#' and the hex of their BER encoding.
        return "#" + Convert.ToHexString(attribute.ReadEncodedValue().Span);
    }

    private static string Escape(string value)
    {
        var text = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var special = c is ',' or '+' or '"' or '\\' or '<' or '>' or ';'
                || (i == 0 && c is ' ' or '#')
                || (i == value.Length - 1 && c == ' ');
            if (c == '\0')
            {
                text.Append("\\00");
                continue;
            }

            if (special)
            {
                text.Append('\\');
            }

            text.Append(c);
        }

        return text.ToString();
    }
}
