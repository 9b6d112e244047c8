using System.Diagnostics.CodeAnalysis;
using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Pki;

/// <summary>Writes the attributes <see cref="Rfc4514Reader"/> read as the DER name a certificate carries (see <see cref="DistinguishedName.TryEncode"/>).</summary>
internal static class DerNameEncoder
{
    public static bool TryEncode(
        List<List<(string Oid, string Value, byte[]? Encoded)>> attributes, [NotNullWhen(true)] out X500DistinguishedName? encoded, out string error)
    {
        encoded = null;
        error = string.Empty;
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var rdn in attributes)
            {
                using (writer.PushSetOf())
                {
                    foreach (var attribute in rdn)
                    {
                        if (!TryWriteAttribute(writer, attribute, out error))
                        {
                            return false;
                        }
                    }
                }
            }
        }

        encoded = new X500DistinguishedName(writer.Encode());
        return true;
    }

    private static bool TryWriteAttribute(AsnWriter writer, (string Oid, string Value, byte[]? Encoded) attribute, out string error)
    {
        error = string.Empty;
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(attribute.Oid);
            if (attribute.Encoded is not null)
            {
                writer.WriteEncodedValue(attribute.Encoded);
                return true;
            }

            var type = attribute.Oid switch
            {
                "2.5.4.6" or "2.5.4.5" => UniversalTagNumber.PrintableString,
                "0.9.2342.19200300.100.1.25" or "1.2.840.113549.1.9.1" => UniversalTagNumber.IA5String,
                _ => UniversalTagNumber.UTF8String,
            };
            try
            {
                writer.WriteCharacterString(type, attribute.Value);
            }
            catch (ArgumentException) // EncoderFallbackException included: a character the string type cannot hold
            {
                error = $"the value of {attribute.Oid} cannot be written as {type}";
                return false;
            }
        }

        return true;
    }
}
