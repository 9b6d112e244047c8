using System.Diagnostics.CodeAnalysis;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MtlsAuthServer.Pki;

/// <summary>
/// A distinguished name as an ordered list of RDNs, each a set of (attribute OID, value), with values
/// normalised for comparison. Built from an RFC 4514 string (client metadata) or from a certificate's DER
/// subject, so both sides are compared as names, never as display strings.
/// </summary>
/// <remarks>
/// RFC 8705 §2.1.2 names the RFC 4514 string form for <c>tls_client_auth_subject_dn</c>. RFC 4514 writes RDNs
/// last-to-first; <see cref="Rdns"/> is in ASN.1 order (most significant first). Values of the X.520 string
/// attributes (CN, O, OU, L, ST, C, …) compare with caseIgnoreMatch semantics: case-folded, insignificant
/// spaces removed. Attributes we don't know compare exactly.
/// </remarks>
public sealed class DistinguishedName : IEquatable<DistinguishedName>
{
    private static readonly Dictionary<string, string> ShortNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["CN"] = "2.5.4.3",
        ["SN"] = "2.5.4.4",
        ["SERIALNUMBER"] = "2.5.4.5",
        ["C"] = "2.5.4.6",
        ["L"] = "2.5.4.7",
        ["ST"] = "2.5.4.8",
        ["S"] = "2.5.4.8",
        ["STREET"] = "2.5.4.9",
        ["O"] = "2.5.4.10",
        ["OU"] = "2.5.4.11",
        ["T"] = "2.5.4.12",
        ["TITLE"] = "2.5.4.12",
        ["G"] = "2.5.4.42",
        ["GN"] = "2.5.4.42",
        ["GIVENNAME"] = "2.5.4.42",
        ["INITIALS"] = "2.5.4.43",
        ["DC"] = "0.9.2342.19200300.100.1.25",
        ["UID"] = "0.9.2342.19200300.100.1.1",
        ["E"] = "1.2.840.113549.1.9.1",
        ["EMAIL"] = "1.2.840.113549.1.9.1",
        ["EMAILADDRESS"] = "1.2.840.113549.1.9.1",
        ["ORGANIZATIONIDENTIFIER"] = "2.5.4.97",
    };

    // Attributes whose equality rule is caseIgnoreMatch / caseIgnoreIA5Match (X.520, RFC 4519, PKCS#9).
    private static readonly HashSet<string> CaseInsensitive = new(StringComparer.Ordinal)
    {
        "2.5.4.3", "2.5.4.4", "2.5.4.5", "2.5.4.6", "2.5.4.7", "2.5.4.8", "2.5.4.9", "2.5.4.10", "2.5.4.11",
        "2.5.4.12", "2.5.4.42", "2.5.4.43", "2.5.4.97", "0.9.2342.19200300.100.1.25", "0.9.2342.19200300.100.1.1",
        "1.2.840.113549.1.9.1",
    };

    private DistinguishedName(IReadOnlyList<IReadOnlyList<RdnEntry>> rdns) => Rdns = rdns;

    /// <summary>RDNs in ASN.1 order; each RDN's attributes sorted so multi-valued RDNs compare as sets.</summary>
    public IReadOnlyList<IReadOnlyList<RdnEntry>> Rdns { get; }

    /// <summary>Parses an RFC 4514 string such as <c>CN=client-1,OU=Payments,O=Example\, Inc.,C=DE</c>.</summary>
    public static bool TryParse(string? text, out DistinguishedName name, out string error)
    {
        name = null!;
        if (!Rfc4514Reader.TryReadName(text, out var attributes, out error))
        {
            return false;
        }

        name = new DistinguishedName([.. attributes.Select(rdn => (IReadOnlyList<RdnEntry>)Sort([.. rdn.Select(a => Normalise(a.Oid, a.Value))]))]);
        return true;
    }

    /// <summary>
    /// Encodes an RFC 4514 string as the DER name a certificate carries, read by the same rules as
    /// <see cref="TryParse"/>: a name a registration accepts is a name the PKI can issue, and the certificate's subject
    /// then equals the registered name. Values are UTF8String, except <c>C</c> and <c>serialNumber</c>
    /// (PrintableString) and <c>DC</c> and <c>emailAddress</c> (IA5String), as RFC 5280 §4.1.2.4 and its ASN.1 module
    /// require; a <c>#hex</c> value is written as the BER it spells. Multi-valued RDNs are DER-sorted.
    /// </summary>
    public static bool TryEncode(string? text, [NotNullWhen(true)] out X500DistinguishedName? encoded, out string error)
    {
        encoded = null;
        return Rfc4514Reader.TryReadName(text, out var attributes, out error) && DerNameEncoder.TryEncode(attributes, out encoded, out error);
    }

    public static X500DistinguishedName Encode(string text) =>
        TryEncode(text, out var name, out var error) ? name : throw new FormatException($"Invalid distinguished name '{text}': {error}.");

    /// <summary>The RFC 4514 string of a DER name, values as the certificate spells them (for registrations and output).</summary>
    public static string Format(X500DistinguishedName name) => Rfc4514Writer.Format(name);

    public static DistinguishedName Parse(string text) =>
        TryParse(text, out var name, out var error) ? name : throw new FormatException($"Invalid distinguished name '{text}': {error}.");

    /// <summary>
    /// Reads a name a client chose (its certificate's subject or issuer). RFC 5280 §4.1 requires DER; a name that is
    /// only valid BER (an unsorted multi-valued RDN, a long-form length) or not valid at all yields false.
    /// </summary>
    public static bool TryFromX500(X500DistinguishedName name, [NotNullWhen(true)] out DistinguishedName? parsed, out string error)
    {
        try
        {
            parsed = FromX500(name);
            error = string.Empty;
            return true;
        }
        catch (AsnContentException exception)
        {
            parsed = null;
            error = exception.Message;
            return false;
        }
    }

    /// <summary>Reads a DER-encoded name (a certificate's subject or issuer); throws <see cref="AsnContentException"/> on anything else.</summary>
    public static DistinguishedName FromX500(X500DistinguishedName name)
    {
        var rdns = new List<IReadOnlyList<RdnEntry>>();
        var reader = new AsnReader(name.RawData, AsnEncodingRules.DER);
        var sequence = reader.ReadSequence();
        while (sequence.HasData)
        {
            var set = sequence.ReadSetOf();
            var rdn = new List<RdnEntry>();
            while (set.HasData)
            {
                var attribute = set.ReadSequence();
                var oid = attribute.ReadObjectIdentifier();
                rdn.Add(Normalise(oid, ReadValue(attribute)));
            }

            rdns.Add(Sort(rdn));
        }

        reader.ThrowIfNotEmpty();
        return new DistinguishedName(rdns);
    }

    public bool Equals(DistinguishedName? other)
    {
        if (other is null || other.Rdns.Count != Rdns.Count)
        {
            return false;
        }

        for (var i = 0; i < Rdns.Count; i++)
        {
            if (!Rdns[i].SequenceEqual(other.Rdns[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as DistinguishedName);

    public override int GetHashCode() => Rdns.Count;

    /// <summary>The RFC 4514 form of the normalised name (for logs and diagnostics).</summary>
    public override string ToString() =>
        string.Join(",", Rdns.Reverse().Select(rdn => string.Join("+", rdn.Select(a => $"{a.Oid}={a.Value}"))));

    private static string ReadValue(AsnReader attribute)
    {
        var tag = attribute.PeekTag();
        if (tag.TagClass == TagClass.Universal)
        {
            switch ((UniversalTagNumber)tag.TagValue)
            {
                case UniversalTagNumber.UTF8String:
                case UniversalTagNumber.PrintableString:
                case UniversalTagNumber.IA5String:
                case UniversalTagNumber.BMPString:
                case UniversalTagNumber.T61String:
                case UniversalTagNumber.VisibleString:
                case UniversalTagNumber.NumericString:
                case UniversalTagNumber.UniversalString:
                    return attribute.ReadCharacterString((UniversalTagNumber)tag.TagValue);
            }
        }

        // Non-string values compare as their DER encoding, like RFC 4514's "#hex" form.
        return "#" + Convert.ToHexString(attribute.ReadEncodedValue().Span);
    }

    private static RdnEntry Normalise(string oid, string value)
    {
        if (value.StartsWith('#'))
        {
            return new RdnEntry(oid, value.ToUpperInvariant());
        }

        if (!CaseInsensitive.Contains(oid))
        {
            return new RdnEntry(oid, value);
        }

        // caseIgnoreMatch: leading/trailing spaces are insignificant, internal runs collapse to one space.
        var collapsed = string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return new RdnEntry(oid, collapsed.Normalize(NormalizationForm.FormKC).ToUpperInvariant());
    }

    private static List<RdnEntry> Sort(List<RdnEntry> rdn)
    {
        rdn.Sort((a, b) => string.CompareOrdinal(a.Oid + "=" + a.Value, b.Oid + "=" + b.Value));
        return rdn;
    }

    internal static bool TryResolveAttributeType(string type, out string oid)
    {
        if (ShortNames.TryGetValue(type, out oid!))
        {
            return true;
        }

        var candidate = type.StartsWith("OID.", StringComparison.OrdinalIgnoreCase) ? type[4..] : type;
        if (candidate.Length > 0 && char.IsAsciiDigit(candidate[0]) && candidate.All(c => char.IsAsciiDigit(c) || c == '.'))
        {
            try
            {
                // Round-trip through the encoder to reject malformed OIDs such as "2..5".
                var writer = new AsnWriter(AsnEncodingRules.DER);
                writer.WriteObjectIdentifier(candidate);
                oid = candidate;
                return true;
            }
            catch (ArgumentException)
            {
            }
            catch (CryptographicException)
            {
            }
        }

        oid = string.Empty;
        return false;
    }

    internal static string DecodeHexValue(byte[] encoded)
    {
        var reader = new AsnReader(encoded, AsnEncodingRules.BER);
        var value = ReadValue(reader);
        reader.ThrowIfNotEmpty();
        return value;
    }
}

/// <summary>One attribute of an RDN: its OID and its normalised value.</summary>
public readonly record struct RdnEntry(string Oid, string Value);
