using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.CertificateForwarding;

/// <summary>
/// The intermediates that came with the client certificate: sent by the client in its TLS handshake, or forwarded
/// by a trusted proxy. Kestrel exposes only the leaf to the application, but RFC 8705 clients may rely on sending
/// their issuing CA; chain building uses these as untrusted helpers (never as anchors).
/// </summary>
public sealed class PresentedCertificateChainFeature(IReadOnlyList<X509Certificate2> intermediates)
{
    /// <summary>A handshake or a forwarded chain may carry a handful of certificates; more is not a real chain.</summary>
    public const int MaxCertificates = 8;

    /// <summary>No intermediates (also what replaces a proxy's own handshake chain on a forwarded request).</summary>
    public static PresentedCertificateChainFeature Empty { get; } = new([]);

    public IReadOnlyList<X509Certificate2> Intermediates { get; } = intermediates;
}
