using System.Text;

namespace MtlsAuthServer.Tests.Revocation.Hostile;

/// <summary>Response bodies that are not what they claim to be: fake PEM, cut-off DER, noise.</summary>
public static class HostileBodies
{
    /// <summary>PEM armour (RFC 7468) around text that is not base64.</summary>
    public static byte[] PemLookingGarbage() =>
        Encoding.ASCII.GetBytes("-----BEGIN X509 CRL-----\n!!!not base64!!!\n-----END X509 CRL-----\n");

    /// <summary>The first <paramref name="keep"/> octets of <paramref name="der"/>: its outer length then claims more than there is.</summary>
    public static byte[] Truncated(byte[] der, int keep)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keep);
        return der[..Math.Min(keep, der.Length)];
    }

    /// <summary>Seeded pseudo-random octets, so a failing spec can be replayed with the same body.</summary>
    public static byte[] Garbage(int length, int seed)
    {
        var bytes = new byte[length];
#pragma warning disable CA5394 // Not for security: reproducible noise is the point.
        new Random(seed).NextBytes(bytes);
#pragma warning restore CA5394
        return bytes;
    }
}
