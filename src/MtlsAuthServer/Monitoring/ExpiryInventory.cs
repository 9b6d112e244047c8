using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Certificates;
using MtlsAuthServer.Certificates.Revocation;
using MtlsAuthServer.Diagnostics;
using MtlsAuthServer.Pki;
using MtlsAuthServer.ServiceDefaults.Hosting;

namespace MtlsAuthServer.Monitoring;

/// <summary>
/// Everything that can expire under the server, read from the live holders (so a hot reload is reflected at
/// once): the served TLS certificate, the current trust anchors and intermediates, the registered self-signed
/// client certificates, the certificates <c>tls_client_auth</c> clients authenticate with and the CRLs in use
/// (fetched ones and configured files).
/// </summary>
public sealed class ExpiryInventory(
    ServerCertificateProvider serverCertificate,
    TrustMaterialProvider trust,
    RegisteredClientCertificates clients,
    ClientCertificateSightings sightings,
    CrlCache crls,
    OfflineCrlStore crlFiles)
{
    public IReadOnlyList<ExpiringItem> Snapshot()
    {
        var items = new List<ExpiringItem> { Describe(ExpiringKind.ServerCertificate, serverCertificate.Current.TargetCertificate) };
        var material = trust.Current;
        items.AddRange(material.Anchors.Select(anchor => Describe(ExpiringKind.TrustAnchor, anchor)));
        items.AddRange(material.Intermediates.Select(intermediate => Describe(ExpiringKind.Intermediate, intermediate)));
        items.AddRange(clients.Current);
        items.AddRange(sightings.Current(clients.TlsClientAuthClients).Select(seen =>
            new ExpiringItem(ExpiringKind.ClientCertificate, seen.Subject, seen.Thumbprint, seen.ClientId, seen.NotAfter, seen.LastSeen)));

        foreach (var (uri, crl) in crls.Known)
        {
            if (crl?.NextUpdate is { } nextUpdate)
            {
                items.Add(new ExpiringItem(ExpiringKind.Crl, IssuerName(crl, material), uri, null, nextUpdate));
            }
        }

        foreach (var (path, crl) in crlFiles.Known)
        {
            if (crl?.NextUpdate is { } nextUpdate)
            {
                items.Add(new ExpiringItem(ExpiringKind.Crl, IssuerName(crl, material), path, null, nextUpdate));
            }
        }

        return items;
    }

    /// <summary>The issuing CA's subject as its certificate spells it (the CRL parser keeps only a normalised form).</summary>
    private static string IssuerName(CertificateRevocationList crl, TrustBundle material) =>
        material.Anchors.Concat(material.Intermediates)
            .FirstOrDefault(ca => crl.Issuer.Equals(DistinguishedName.FromX500(ca.SubjectName)))?.Subject
        ?? crl.Issuer.ToString();

    private static ExpiringItem Describe(ExpiringKind kind, X509Certificate2 certificate) =>
        new(kind, certificate.Subject, CertificateFacts.Sha256Thumbprint(certificate), null, certificate.NotAfter.ToUniversalTime());
}
