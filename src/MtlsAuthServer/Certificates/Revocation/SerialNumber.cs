namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>A certificate serial number in one canonical form (upper-case hex, no leading zero octets).</summary>
internal static class SerialNumber
{
    public static string Canonical(ReadOnlySpan<byte> bigEndian)
    {
        var start = 0;
        while (start < bigEndian.Length - 1 && bigEndian[start] == 0)
        {
            start++;
        }

        return Convert.ToHexString(bigEndian[start..]);
    }
}
