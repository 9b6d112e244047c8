using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>
/// Which CAs of the configured trust bundles can't have the certificates below them checked in the configured
/// mode and scope. Every client below such a CA gets <c>revocation_unknown</c> (refused unless soft-fail), so this is
/// said at start-up, in <c>/health/ready</c> and by <c>diagnose</c>, each time with the keys that fix it.
/// Certificates the clients send themselves can't be known in advance; the rejection detail names the same fix.
/// </summary>
public sealed class RevocationCoverage(IOptionsMonitor<RevocationOptions> options, TrustMaterialProvider trust, OfflineCrlStore files)
{
    public IReadOnlyList<RevocationCoverageGap> Gaps()
    {
        var settings = options.CurrentValue;
        var material = trust.Current;
        return settings.Mode switch
        {
            RevocationMode.Online when settings.Scope == RevocationScope.Chain => OnlineGaps(material),
            RevocationMode.Offline => OfflineGaps(material, settings.Scope),
            _ => [],
        };
    }

    /// <summary>Online, whole chain: an intermediate naming no CRL or OCSP location needs a CRL file from its issuer.</summary>
    private List<RevocationCoverageGap> OnlineGaps(TrustBundle material)
    {
        var known = files.Known.Select(file => file.Crl).OfType<CertificateRevocationList>().ToList();
        var gaps = new List<RevocationCoverageGap>();
        foreach (var intermediate in material.Intermediates)
        {
            if (CertificateLocations.OcspResponders(intermediate).Count > 0 || CertificateLocations.CrlDistributionPoints(intermediate).Count > 0)
            {
                continue;
            }

            if (!known.Any(crl => crl.Covers(intermediate, out _)))
            {
                gaps.Add(new RevocationCoverageGap(intermediate.Subject,
                    "names no CRL distribution point or OCSP responder, so every client certificate below it is refused with revocation_unknown",
                    $"list the CRL of '{intermediate.Issuer}' in Revocation:CrlFiles, or set Revocation:Scope=EndEntity"));
            }
        }

        return gaps;
    }

    /// <summary>Offline: every CA whose certificates are checked needs a CRL file of its own.</summary>
    private List<RevocationCoverageGap> OfflineGaps(TrustBundle material, RevocationScope scope)
    {
        var issuers = files.Known.Select(file => file.Crl?.Issuer).OfType<DistinguishedName>().ToList();

        // Leaves come from the intermediates (or from an anchor with none below it); in Chain scope the anchors'
        // intermediates are checked too.
        var checkedIssuers = material.Intermediates.Cast<X509Certificate2>().ToList();
        foreach (var anchor in material.Anchors)
        {
            var issuesIntermediates = material.Intermediates.Any(intermediate => intermediate.IssuerName.RawData.AsSpan().SequenceEqual(anchor.SubjectName.RawData));
            if (!issuesIntermediates || scope == RevocationScope.Chain)
            {
                checkedIssuers.Add(anchor);
            }
        }

        return checkedIssuers
            .Where(ca => !issuers.Any(issuer => issuer.Equals(DistinguishedName.FromX500(ca.SubjectName))))
            .Select(ca => new RevocationCoverageGap(ca.Subject,
                "has no CRL among Revocation:CrlFiles (Revocation:Mode=Offline), so every certificate it issued is refused with revocation_unknown",
                $"add the CRL of '{ca.Subject}' to Revocation:CrlFiles, or set Revocation:Mode=Online if its certificates name a CRL or OCSP location"))
            .ToList();
    }
}

/// <summary>A CA whose certificates can't be checked, what follows, and the configuration keys that fix it.</summary>
public sealed record RevocationCoverageGap(string Ca, string Problem, string Fix)
{
    public override string ToString() => $"'{Ca}' {Problem}; fix: {Fix}";
}
