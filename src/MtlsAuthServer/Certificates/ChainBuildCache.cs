using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Certificates;

/// <summary>
/// Chain paths that built successfully, reused for later requests with the same certificate under the same policy.
/// Building a chain is the costliest certificate check (a fraction of a millisecond plus native store handles per
/// build), and with the policy of <see cref="ClientChainPolicyFactory"/> its outcome depends only on the certificate,
/// the intermediates and the anchors: time validity and revocation are left out of the chain engine and checked on
/// every request by <see cref="ClientCertificateValidator"/>, so reusing a path never skips them. The key covers
/// the policy's anchors and intermediates, so replacing the trust bundle (hot reload) changes every key.
/// </summary>
public sealed class ChainBuildCache
{
    /// <summary>Bounds memory (a path is a few certificates); when full, the cache starts over.</summary>
    public const int Capacity = 4096;

    private readonly ConcurrentDictionary<string, X509Certificate2[]> _paths = new(StringComparer.Ordinal);

    // Anchors and configured intermediates are long-lived instances asked about on every request; a certificate's
    // bytes never change, so its thumbprint is computed once per instance.
    private static readonly ConditionalWeakTable<X509Certificate2, string> Thumbprints = new();

    public bool TryGet(string key, out X509Certificate2[] path) => _paths.TryGetValue(key, out path!);

    /// <summary>Keeps <paramref name="path"/>; the cache owns it from now on (it is shared, never disposed by callers).</summary>
    public void Add(string key, X509Certificate2[] path)
    {
        if (_paths.Count >= Capacity)
        {
            // Paths still in use by requests in flight stay valid: they are only dropped from the map, not disposed.
            _paths.Clear();
        }

        _paths.TryAdd(key, path);
    }

    public static string KeyOf(X509Certificate2 certificate, X509ChainPolicy policy)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(certificate.RawDataMemory.Span);
        AppendSorted(hash, "anchors", policy.CustomTrustStore);
        AppendSorted(hash, "extra", policy.ExtraStore);
        foreach (var oid in policy.ApplicationPolicy)
        {
            hash.AppendData(System.Text.Encoding.ASCII.GetBytes("eku:" + oid.Value));
        }

        hash.AppendData(BitConverter.GetBytes((int)policy.VerificationFlags));
        hash.AppendData(BitConverter.GetBytes((int)policy.TrustMode));
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static void AppendSorted(IncrementalHash hash, string label, X509Certificate2Collection certificates)
    {
        hash.AppendData(System.Text.Encoding.ASCII.GetBytes(label));
        foreach (var thumbprint in certificates.Select(c => Thumbprints.GetValue(c, static c => c.GetCertHashString(HashAlgorithmName.SHA256))).Order(StringComparer.Ordinal))
        {
            hash.AppendData(System.Text.Encoding.ASCII.GetBytes(thumbprint));
        }
    }
}
