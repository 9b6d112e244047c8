using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.CertificateForwarding;

/// <summary>The parsed <c>Proxy:RequiredProxyCertificateThumbprints</c>: SHA-256 digests of the proxy's own client certificates.</summary>
internal sealed class ProxyCertificatePins
{
    public const string Problem = "must be an x5t#S256 value: the base64url SHA-256 of the certificate's DER, 43 characters, no padding";

    private const int Sha256Length = 32;

    private readonly IReadOnlyList<byte[]> _digests;

    private ProxyCertificatePins(IReadOnlyList<byte[]> digests) => _digests = digests;

    public bool IsRequired => _digests.Count > 0;

    public static ProxyCertificatePins Parse(IReadOnlyList<string> thumbprints)
    {
        var digests = new List<byte[]>(thumbprints.Count);
        for (var i = 0; i < thumbprints.Count; i++)
        {
            digests.Add(TryParseThumbprint(thumbprints[i], out var digest)
                ? digest
                : throw new InvalidOperationException($"{ProxyOptions.Section}:RequiredProxyCertificateThumbprints:{i}: {Problem}"));
        }

        return new ProxyCertificatePins(digests);
    }

    /// <summary>RFC 8705 §3.1 form only: a hex or SHA-1 thumbprint is refused, not guessed at.</summary>
    public static bool TryParseThumbprint(string? value, out byte[] digest)
    {
        digest = [];
        var text = value?.Trim() ?? string.Empty;
        if (text.Length != 43)
        {
            return false;
        }

        var bytes = new byte[Sha256Length];
        if (Base64Url.DecodeFromChars(text, bytes, out var consumed, out var written) != System.Buffers.OperationStatus.Done
            || consumed != text.Length || written != Sha256Length)
        {
            return false;
        }

        digest = bytes;
        return true;
    }

    /// <summary>Whether <paramref name="certificate"/> is one of the pinned ones (fixed-time, no early exit).</summary>
    public bool Matches(X509Certificate2 certificate)
    {
        Span<byte> presented = stackalloc byte[Sha256Length];
        SHA256.HashData(certificate.RawDataMemory.Span, presented);
        var match = false;
        foreach (var digest in _digests)
        {
            match |= CryptographicOperations.FixedTimeEquals(presented, digest);
        }

        return match;
    }
}
