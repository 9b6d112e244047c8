using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Pki;
using MtlsAuthServer.ResourceApi.Diagnostics;

namespace MtlsAuthServer.ResourceApi.Certificates;

/// <summary>
/// Checks the certificate a caller presented on the connection: it chains to a configured anchor, is an end-entity
/// certificate, is valid now (with skew) and allows client authentication. OpenIddict's binding check only compares
/// thumbprints; a token bound to a certificate that no longer chains to our anchors must not be honoured either.
/// Every certificate of the path meets the token server's algorithm floor (<see cref="CertificateAlgorithmPolicy"/>).
/// </summary>
public sealed class CallerCertificateValidator(TrustAnchors anchors, IOptions<ClientCertificateOptions> options, TimeProvider time)
{
    /// <summary>Bounds the memory of <see cref="_chained"/>; when full it starts over.</summary>
    private const int ChainCacheCapacity = 4096;

    // Certificates (by SHA-256 of the DER) whose chain built to our anchors. The verdict depends only on the certificate
    // and the anchors, which don't change while the API runs; the time-dependent checks above run on every request.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _chained = new(StringComparer.Ordinal);

    // The floors (RSA 2048, P-256, SHA-256): the API has no keys of its own to raise them.
    private readonly CertificateAlgorithmPolicy _algorithms = new();

    /// <summary>The policy the TLS handshake uses: our anchors, no downloads of URLs named by an untrusted certificate.</summary>
    public X509ChainPolicy CreateHandshakePolicy() => anchors.CreatePolicy(Oids.ClientAuthentication);

    /// <returns>Null when the certificate is acceptable, else the reason and a detail for the log.</returns>
    public (TokenRejectionReason Reason, string Detail)? Validate(X509Certificate2 certificate)
    {
        var now = time.GetUtcNow();
        var skew = options.Value.ClockSkew;
        if (certificate.NotBefore.ToUniversalTime() - skew > now.UtcDateTime)
        {
            return (TokenRejectionReason.CertificateNotYetValid, $"notBefore {certificate.NotBefore.ToUniversalTime():O} is in the future");
        }

        if (certificate.NotAfter.ToUniversalTime() + skew < now.UtcDateTime)
        {
            return (TokenRejectionReason.CertificateExpired, $"notAfter {certificate.NotAfter.ToUniversalTime():O} has passed");
        }

        // RFC 5280 §4.2.1.9: a CA certificate is not a client; it would otherwise pass the chain check.
        if (certificate.Extensions[Oids.BasicConstraints] is X509BasicConstraintsExtension { CertificateAuthority: true })
        {
            return (TokenRejectionReason.NotEndEntity, "the certificate is a CA certificate");
        }

        if (certificate.Extensions[Oids.ExtendedKeyUsage] is X509EnhancedKeyUsageExtension eku
            && !eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Any(oid => oid.Value == Oids.ClientAuthentication))
        {
            return (TokenRejectionReason.ExtendedKeyUsageInvalid, "the extended key usage does not include clientAuth");
        }

        var thumbprint = certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
        if (_chained.ContainsKey(thumbprint))
        {
            return null;
        }

        using var chain = new X509Chain { ChainPolicy = anchors.CreatePolicy(Oids.ClientAuthentication) };
        try
        {
            if (!chain.Build(certificate))
            {
                var status = string.Join(", ", chain.ChainStatus.Select(s => s.Status).Distinct());
                return (TokenRejectionReason.ChainUntrusted, $"the chain does not build to a configured trust anchor: {status}");
            }

            // A weak path is judged the same every time (certificate and anchors fixed): refused before it is cached.
            if (_algorithms.Judge([.. chain.ChainElements.Select(element => element.Certificate)], lastIsAnchor: true) is { } weak)
            {
                return (TokenRejectionReason.CertificateWeak, weak.Detail);
            }
        }
        finally
        {
            foreach (var element in chain.ChainElements)
            {
                if (!ReferenceEquals(element.Certificate, certificate))
                {
                    element.Certificate.Dispose();
                }
            }
        }

        if (_chained.Count >= ChainCacheCapacity)
        {
            _chained.Clear();
        }

        _chained.TryAdd(thumbprint, true);
        return null;
    }
}
