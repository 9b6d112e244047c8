using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Hosting;

/// <summary>
/// The intermediates a client sent in its TLS handshake. Kestrel exposes only the leaf to the application, but
/// RFC 8705 clients may rely on sending their issuing CA; the chain build at the token endpoint uses these.
/// </summary>
public sealed class PresentedCertificateChainFeature(IReadOnlyList<X509Certificate2> intermediates)
{
    /// <summary>A handshake may carry a handful of certificates; more is not a real chain.</summary>
    public const int MaxCertificates = 8;

    public IReadOnlyList<X509Certificate2> Intermediates { get; } = intermediates;
}
