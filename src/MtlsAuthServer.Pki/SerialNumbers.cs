namespace MtlsAuthServer.Pki;

/// <summary>Certificate serial numbers as text: one canonical hex form for state files, CRL lookups and people.</summary>
public static class SerialNumbers
{
    /// <summary>Upper-case hex without leading zero octets (the server's CRL lookup uses the same form).</summary>
    public static string Canonical(ReadOnlySpan<byte> bigEndian)
    {
        var start = 0;
        while (start < bigEndian.Length - 1 && bigEndian[start] == 0)
        {
            start++;
        }

        return Convert.ToHexString(bigEndian[start..]);
    }

    /// <summary>Parses a serial typed by a person (<c>5F:3A:..</c>, <c>0x5f3a..</c>, spaces allowed) into canonical form.</summary>
    public static bool TryParse(string text, out string canonical)
    {
        canonical = string.Empty;
        var hex = text.Trim();
        if (hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            hex = hex[2..];
        }

        hex = hex.Replace(":", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal);
        if (hex.Length == 0 || hex.Length > 42 || !hex.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        if (hex.Length % 2 == 1)
        {
            hex = "0" + hex;
        }

        canonical = Canonical(Convert.FromHexString(hex));
        return true;
    }

    /// <summary>The INTEGER content octets for a canonical serial: a leading zero keeps a high first bit positive.</summary>
    public static byte[] ToBigEndian(string canonical)
    {
        var bytes = Convert.FromHexString(canonical);
        return bytes[0] >= 0x80 ? [0, .. bytes] : bytes;
    }
}
