using System.Text;

namespace MtlsAuthServer.Pki;

/// <summary>A cursor over an RFC 4514 string that reads <c>type=value</c> pairs, honouring escapes.</summary>
internal sealed class Rfc4514Reader(string text)
{
    private int _position;

    public int Position => _position;

    public bool AtEnd
    {
        get
        {
            SkipSpaces();
            return _position >= text.Length;
        }
    }

    public bool TryConsume(char c)
    {
        SkipSpaces();
        if (_position < text.Length && text[_position] == c)
        {
            _position++;
            return true;
        }

        return false;
    }

    // encoded: for a #hex value, its BER encoding as written (kept as-is when the name is encoded).
    public bool TryReadAttribute(out string oid, out string value, out byte[]? encoded, out string error)
    {
        oid = value = string.Empty;
        encoded = null;
        SkipSpaces();
        var start = _position;
        while (_position < text.Length && text[_position] != '=' && text[_position] != ',' && text[_position] != '+')
        {
            _position++;
        }

        if (_position >= text.Length || text[_position] != '=')
        {
            error = $"expected 'type=value' at position {start}";
            return false;
        }

        var type = text[start.._position].Trim();
        _position++;
        if (!DistinguishedName.TryResolveAttributeType(type, out oid))
        {
            error = $"unknown attribute type '{type}'";
            return false;
        }

        SkipSpaces();
        if (_position < text.Length && text[_position] == '#')
        {
            return TryReadHexValue(out value, out encoded, out error);
        }

        return TryReadStringValue(out value, out error);
    }

    private bool TryReadHexValue(out string value, out byte[]? encoded, out string error)
    {
        encoded = null;
        var start = ++_position;
        while (_position < text.Length && Uri.IsHexDigit(text[_position]))
        {
            _position++;
        }

        var hex = text[start.._position];
        try
        {
            encoded = hex.Length % 2 == 0 && hex.Length > 0 ? Convert.FromHexString(hex) : throw new FormatException();
            value = DistinguishedName.DecodeHexValue(encoded);
            error = string.Empty;
            return true;
        }
        catch (Exception exception) when (exception is FormatException or System.Formats.Asn1.AsnContentException or System.Security.Cryptography.CryptographicException)
        {
            value = string.Empty;
            error = $"invalid #hex value at position {start}";
            return false;
        }
    }

    private bool TryReadStringValue(out string value, out string error)
    {
        var bytes = new List<byte>();
        var builder = new StringBuilder();
        var trailingEscapedSpace = 0;
        value = string.Empty;
        while (_position < text.Length)
        {
            var c = text[_position];
            if (c is ',' or '+' or ';')
            {
                break;
            }

            if (c == '\\')
            {
                if (_position + 1 >= text.Length)
                {
                    error = "dangling escape at end of name";
                    return false;
                }

                var next = text[_position + 1];
                if (Uri.IsHexDigit(next) && _position + 2 < text.Length && Uri.IsHexDigit(text[_position + 2]))
                {
                    // \XX escapes are UTF-8 octets; gather consecutive ones before decoding.
                    bytes.Add(Convert.ToByte(text.Substring(_position + 1, 2), 16));
                    _position += 3;
                    continue;
                }

                FlushBytes(bytes, builder);
                builder.Append(next);
                _position += 2;
                trailingEscapedSpace = next == ' ' ? builder.Length : 0;
                continue;
            }

            if (c == '"')
            {
                error = $"unescaped quote at position {_position}";
                return false;
            }

            FlushBytes(bytes, builder);
            builder.Append(c);
            _position++;
        }

        FlushBytes(bytes, builder);
        var raw = builder.ToString();
        value = trailingEscapedSpace == raw.Length ? raw : raw.TrimEnd();
        if (value.Length == 0)
        {
            error = $"empty value before position {_position}";
            return false;
        }

        error = string.Empty;
        return true;
    }

    private static void FlushBytes(List<byte> bytes, StringBuilder builder)
    {
        if (bytes.Count > 0)
        {
            builder.Append(Encoding.UTF8.GetString(bytes.ToArray()));
            bytes.Clear();
        }
    }

    private void SkipSpaces()
    {
        while (_position < text.Length && text[_position] == ' ')
        {
            _position++;
        }
    }

    /// <summary>Reads the attributes of an RFC 4514 string, RDNs in ASN.1 order (the string writes them last to first).</summary>
    public static bool TryReadName(string? text, out List<List<(string Oid, string Value, byte[]? Encoded)>> rdns, out string error)
    {
        rdns = [];
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the distinguished name is empty";
            return false;
        }

        var reader = new Rfc4514Reader(text);
        while (true)
        {
            var rdn = new List<(string, string, byte[]?)>();
            while (true)
            {
                if (!reader.TryReadAttribute(out var oid, out var value, out var encoded, out error))
                {
                    return false;
                }

                rdn.Add((oid, value, encoded));
                if (reader.TryConsume('+'))
                {
                    continue;
                }

                break;
            }

            rdns.Add(rdn);
            if (reader.AtEnd)
            {
                break;
            }

            if (!reader.TryConsume(',') && !reader.TryConsume(';'))
            {
                error = $"unexpected character at position {reader.Position}";
                return false;
            }
        }

        rdns.Reverse();
        error = string.Empty;
        return true;
    }
}
