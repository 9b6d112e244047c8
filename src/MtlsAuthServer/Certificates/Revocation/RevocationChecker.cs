using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>
/// Revocation for one certificate in a chain that already built to a trust anchor. Online: the OCSP responders the
/// certificate names first, then its CRL distribution points; a certificate that names neither is looked up in the
/// configured CRL files. Offline: the configured CRL files only. Status it can't establish is
/// <see cref="RevocationStatus.Unknown"/>; the caller applies soft/hard fail.
/// </summary>
public sealed class RevocationChecker(
    IOptionsMonitor<RevocationOptions> options, CrlCache crls, OfflineCrlStore offlineCrls, OcspCache ocsp) : IRevocationChecker
{
    /// <summary>What a certificate without revocation locations needs, for the rejection detail and the coverage report.</summary>
    public const string NoLocationFix =
        "list its issuer's CRL in Revocation:CrlFiles, or, for an intermediate, set Revocation:Scope=EndEntity";

    public async ValueTask<RevocationCheckResult> CheckAsync(X509Certificate2 certificate, X509Certificate2 issuer, CancellationToken cancellationToken)
    {
        switch (options.CurrentValue.Mode)
        {
            case RevocationMode.NoCheck:
                return RevocationCheckResult.NotChecked;
            case RevocationMode.Offline:
                return FromFiles(certificate, issuer);
        }

        var responders = CertificateLocations.OcspResponders(certificate);
        var distributionPoints = CertificateLocations.CrlDistributionPoints(certificate);
        if (responders.Count == 0 && distributionPoints.Count == 0)
        {
            return offlineCrls.HasFiles
                ? FromFiles(certificate, issuer)
                : RevocationCheckResult.Unknown("none", "the certificate names no CRL distribution point or OCSP responder; " + NoLocationFix);
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

            if (await UncheckedResponderAsync(response, issuer, cancellationToken).ConfigureAwait(false) is { } problem)
            {
                failures.Add($"ocsp {responder}: {problem}");
                continue;
            }

            return new RevocationCheckResult(response.Status, "ocsp", $"{responder} ({detail}, signed by {response.Signer})");
        }

        foreach (var uri in distributionPoints)
        {
            var (crl, detail) = await crls.GetAsync(uri, issuer, cancellationToken).ConfigureAwait(false);
            if (crl is null)
            {
                failures.Add($"crl {uri}: {detail}");
                continue;
            }

            if (!crl.Covers(certificate, out var reason))
            {
                failures.Add($"crl {uri}: {reason}");
                continue;
            }

            return Verdict(crl, certificate, "crl", $"{uri.AbsoluteUri} ({detail}; {crl.Describe()})");
        }

        var sources = (responders.Count > 0, distributionPoints.Count > 0) switch
        {
            (true, true) => "ocsp+crl",
            (true, false) => "ocsp",
            _ => "crl",
        };
        return RevocationCheckResult.Unknown(sources, string.Join("; ", failures));
    }

    private RevocationCheckResult FromFiles(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        var (crl, detail) = offlineCrls.Find(certificate, issuer);
        return crl is null ? RevocationCheckResult.Unknown("crl-file", detail) : Verdict(crl, certificate, "crl-file", detail);
    }

    /// <summary>
    /// RFC 6960 §4.2.2.2.1: a delegated responder's own certificate could be revoked. Unless its CA marked it
    /// id-pkix-ocsp-nocheck, its status is read from the CRL it names (never OCSP, which could loop); anything but
    /// "good" means its answers are not believed. Null when the answer may be used.
    /// </summary>
    private async ValueTask<string?> UncheckedResponderAsync(OcspResponse response, X509Certificate2 issuer, CancellationToken cancellationToken)
    {
        if (response.DelegatedResponder is not { } responder || response.ResponderIsNoCheck)
        {
            return null;
        }

        var distributionPoints = CertificateLocations.CrlDistributionPoints(responder);
        if (distributionPoints.Count == 0)
        {
            return $"the delegated responder '{responder.Subject}' has neither id-pkix-ocsp-nocheck nor a CRL distribution point, so its own status is unknown";
        }

        var failures = new List<string>();
        foreach (var uri in distributionPoints)
        {
            var (crl, detail) = await crls.GetAsync(uri, issuer, cancellationToken).ConfigureAwait(false);
            if (crl is null || !crl.Covers(responder, out detail))
            {
                failures.Add($"{uri}: {detail}");
                continue;
            }

            return crl.IsRevoked(responder) ? $"the delegated responder '{responder.Subject}' is revoked ({uri})" : null;
        }

        return $"the delegated responder '{responder.Subject}' has no usable CRL: {string.Join("; ", failures)}";
    }

    private static RevocationCheckResult Verdict(CertificateRevocationList crl, X509Certificate2 certificate, string source, string detail) =>
        crl.IsRevoked(certificate)
            ? new RevocationCheckResult(RevocationStatus.Revoked, source, detail)
            : new RevocationCheckResult(RevocationStatus.Good, source, detail);
}
