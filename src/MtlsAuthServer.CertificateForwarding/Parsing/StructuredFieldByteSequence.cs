namespace MtlsAuthServer.CertificateForwarding.Parsing;

/// <summary>
/// RFC 8941 §3.3.5 byte sequence: <c>:</c> base64 <c>:</c>, with no parameters (RFC 9440 defines none, so any
/// parameter is refused rather than ignored). Padding may be absent (RFC 8941 §4.2.7: parsers SHOULD NOT fail on that).
/// </summary>
internal static class StructuredFieldByteSequence
{
    public static byte[]? TryDecode(ReadOnlySpan<char> item)
    {
        item = item.Trim(" \t");
        if (item.Length < 2 || item[0] != ':' || item[^1] != ':')
        {
            return null;
        }

        var base64 = item[1..^1];
        var padding = false;
        foreach (var c in base64)
        {
            var isBase64 = c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '+' or '/';
            if (c == '=')
            {
                padding = true;
            }
            else if (!isBase64 || padding)
            {
                // Anything outside the alphabet (a '%' of URL encoding, whitespace, ':' of a second item), or data after '='.
                return null;
            }
        }

        var text = base64.Length % 4 == 0 ? base64.ToString() : base64.ToString() + new string('=', 4 - base64.Length % 4);
        var bytes = new byte[text.Length / 4 * 3];
        return Convert.TryFromBase64String(text, bytes, out var written) && written > 0 ? bytes[..written] : null;
    }
}
