using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>
/// Revocation for one certificate in a chain that already built to a trust anchor: OCSP when the certificate
/// names a responder, else its CRL distribution point (Online), or the configured CRL files (Offline).
/// Status it can't establish is <see cref="RevocationStatus.Unknown"/>; the caller applies soft/hard fail.
/// </summary>
public sealed class RevocationChecker(
    IOptionsMonitor<RevocationOptions> options, CrlCache crls, OfflineCrlStore offlineCrls) : IRevocationChecker
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

        var distributionPoints = CertificateLocations.CrlDistributionPoints(certificate);
        if (distributionPoints.Count == 0)
        {
            return RevocationCheckResult.Unknown("none", "the certificate names no CRL distribution point or OCSP responder");
        }

        var failures = new List<string>();
        foreach (var uri in distributionPoints)
        {
            var (crl, detail) = await crls.GetAsync(uri, cancellationToken).ConfigureAwait(false);
            if (crl is null)
            {
                failures.Add($"{uri}: {detail}");
                continue;
            }

            if (!crl.IsAuthoritativeFor(certificate, issuer, out var reason))
            {
                failures.Add($"{uri}: {reason}");
                continue;
            }

            return Verdict(crl, certificate, "crl", uri.AbsoluteUri);
        }

        return RevocationCheckResult.Unknown("crl", string.Join("; ", failures));
    }

    private static RevocationCheckResult Verdict(CertificateRevocationList crl, X509Certificate2 certificate, string source, string detail) =>
        crl.IsRevoked(certificate)
            ? new RevocationCheckResult(RevocationStatus.Revoked, source, detail)
            : new RevocationCheckResult(RevocationStatus.Good, source, detail);
}
