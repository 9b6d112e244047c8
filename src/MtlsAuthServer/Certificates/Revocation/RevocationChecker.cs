using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>
/// Revocation for one certificate in a chain that already built to a trust anchor (Online): the OCSP responders
/// the certificate names first, then its CRL distribution points; or the configured CRL files (Offline).
/// Status it can't establish is <see cref="RevocationStatus.Unknown"/>; the caller applies soft/hard fail.
/// </summary>
public sealed class RevocationChecker(
    IOptionsMonitor<RevocationOptions> options, CrlCache crls, OfflineCrlStore offlineCrls, OcspCache ocsp) : IRevocationChecker
{
    public async ValueTask<RevocationCheckResult> CheckAsync(X509Certificate2 certificate, X509Certificate2 issuer, CancellationToken cancellationToken)
    {
        switch (options.CurrentValue.Mode)
        {
            case RevocationMode.NoCheck:
                return RevocationCheckResult.NotChecked;
            case RevocationMode.Offline:
                var (offline, detail) = offlineCrls.Find(certificate, issuer);
                return offline is null ? RevocationCheckResult.Unknown("crl-file", detail) : Verdict(offline, certificate, "crl-file", detail);
        }

        var responders = CertificateLocations.OcspResponders(certificate);
        var distributionPoints = CertificateLocations.CrlDistributionPoints(certificate);
        if (responders.Count == 0 && distributionPoints.Count == 0)
        {
            return RevocationCheckResult.Unknown("none", "the certificate names no CRL distribution point or OCSP responder");
        }

        var failures = new List<string>();
        foreach (var responder in responders)
        {
            var (response, detail) = await ocsp.GetAsync(responder, certificate, issuer, cancellationToken).ConfigureAwait(false);
            if (response is null)
            {
                failures.Add($"ocsp {responder}: {detail}");
                continue;
            }

            // A verified good or revoked is final (RFC 6960 §2.2). "unknown" means the responder doesn't know the
            // certificate, which says nothing about revocation, so the next source is asked.
            if (response.Status == RevocationStatus.Unknown)
            {
                failures.Add($"ocsp {responder}: the responder does not know the certificate ({detail})");
                continue;
            }

            return new RevocationCheckResult(response.Status, "ocsp", $"{responder} ({detail}, signed by {response.Signer})");
        }

        foreach (var uri in distributionPoints)
        {
            var (crl, detail) = await crls.GetAsync(uri, cancellationToken).ConfigureAwait(false);
            if (crl is null)
            {
                failures.Add($"crl {uri}: {detail}");
                continue;
            }

            if (!crl.IsAuthoritativeFor(certificate, issuer, out var reason))
            {
                failures.Add($"crl {uri}: {reason}");
                continue;
            }

            return Verdict(crl, certificate, "crl", uri.AbsoluteUri);
        }

        var sources = (responders.Count > 0, distributionPoints.Count > 0) switch
        {
            (true, true) => "ocsp+crl",
            (true, false) => "ocsp",
            _ => "crl",
        };
        return RevocationCheckResult.Unknown(sources, string.Join("; ", failures));
    }

    private static RevocationCheckResult Verdict(CertificateRevocationList crl, X509Certificate2 certificate, string source, string detail) =>
        crl.IsRevoked(certificate)
            ? new RevocationCheckResult(RevocationStatus.Revoked, source, detail)
            : new RevocationCheckResult(RevocationStatus.Good, source, detail);
}
