using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Pki;
using MtlsAuthServer.ResourceApi.Diagnostics;

namespace MtlsAuthServer.ResourceApi.Certificates;

/// <summary>
/// What the certificate handler does not check itself, each with its precise reason: validity with clock skew
/// (against the app's <see cref="TimeProvider"/>), end-entity only, and the algorithm floor on the whole path. Also
/// the names for the handler's own refusals, which say only "failed validation".
/// </summary>
public sealed class CallerCertificateRules(TrustBundle anchors, TimeProvider time, Microsoft.Extensions.Options.IOptions<ClientCertificateOptions> options)
{
    // The floors (RSA 2048, P-256, SHA-256): the API has no keys of its own to raise them.
    private readonly CertificateAlgorithmPolicy _algorithms = new();

    public CallerCertificateRejectedException? Validity(X509Certificate2 certificate)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var skew = options.Value.ClockSkew;
        if (certificate.NotBefore.ToUniversalTime() - skew > now)
        {
            return new(TokenRejectionReason.CertificateNotYetValid, $"notBefore {certificate.NotBefore.ToUniversalTime():O} is in the future");
        }

        return certificate.NotAfter.ToUniversalTime() + skew < now
            ? new(TokenRejectionReason.CertificateExpired, $"notAfter {certificate.NotAfter.ToUniversalTime():O} has passed")
            : null;
    }

    /// <summary>Runs once per certificate, after the handler built its chain: the result is cached with the verdict.</summary>
    public CallerCertificateRejectedException? AfterChain(X509Certificate2 certificate)
    {
        if (Validity(certificate) is { } invalid)
        {
            return invalid;
        }

        // RFC 5280 §4.2.1.9: a CA certificate is not a client; it passes the handler's chain check.
        if (IsCertificateAuthority(certificate))
        {
            return new(TokenRejectionReason.NotEndEntity, "the certificate is a CA certificate");
        }

        // The handler disposes its chain; the path is built again from configured certificates only (no downloads).
        using var chain = new X509Chain { ChainPolicy = anchors.CreatePolicy(Oids.ClientAuthentication) };
        try
        {
            if (!chain.Build(certificate))
            {
                return new(TokenRejectionReason.ChainUntrusted, $"the chain does not build to a configured trust anchor: {Status(chain)}");
            }

            return _algorithms.Judge([.. chain.ChainElements.Select(element => element.Certificate)], lastIsAnchor: true) is { } weak
                ? new(TokenRejectionReason.CertificateWeak, weak.Detail)
                : null;
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
    }

    /// <summary>
    /// The reason for a refusal decided by the handler itself (its chain check, self-signed certificates), which it
    /// reports only as a message. Time and usage come first: they explain a failed chain more precisely.
    /// </summary>
    public CallerCertificateRejectedException Classify(X509Certificate2? certificate, Exception failure)
    {
        if (failure is CallerCertificateRejectedException ours)
        {
            return ours;
        }

        if (certificate is null)
        {
            return new(TokenRejectionReason.NoClientCertificate, "the connection presented no client certificate");
        }

        try
        {
            if (Validity(certificate) is { } invalid)
            {
                return invalid;
            }

            if (certificate.Extensions[Oids.ExtendedKeyUsage] is X509EnhancedKeyUsageExtension eku
                && !eku.EnhancedKeyUsages.Cast<Oid>().Any(oid => oid.Value == Oids.ClientAuthentication))
            {
                return new(TokenRejectionReason.ExtendedKeyUsageInvalid, "the extended key usage does not include clientAuth");
            }
        }
        catch (CryptographicException exception)
        {
            return new(TokenRejectionReason.ChainUntrusted, $"the certificate's extensions can't be read: {exception.Message}");
        }

        return new(TokenRejectionReason.ChainUntrusted, $"the certificate handler refused it: {failure.Message}");
    }

    private static bool IsCertificateAuthority(X509Certificate2 certificate) =>
        certificate.Extensions[Oids.BasicConstraints] is X509BasicConstraintsExtension { CertificateAuthority: true };

    private static string Status(X509Chain chain) => string.Join(", ", chain.ChainStatus.Select(s => s.Status).Distinct());
}
