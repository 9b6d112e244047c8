using System.Net;
using System.Numerics;

namespace MtlsAuthServer.Pki;

/// <summary>Settings for a new PKI: names, SANs of the server certificate and where CRLs will be published.</summary>
public sealed record DevelopmentPkiSettings
{
    public string Organization { get; init; } = "MtlsAuthServer Dev";
    public IReadOnlyList<string> ServerDnsNames { get; init; } = ["localhost"];
    public IReadOnlyList<IPAddress> ServerIpAddresses { get; init; } = [IPAddress.Loopback, IPAddress.IPv6Loopback];

    /// <summary>Base URL under which <c>root-ca.crl</c> and <c>issuing-ca.crl</c> are served; null: no CDP.</summary>
    public Uri? CrlBaseUri { get; init; }

    /// <summary>OCSP responder URL stamped (AIA) into certificates of the issuing CA; null: none.</summary>
    public Uri? OcspUri { get; init; }

    public TimeSpan CaValidity { get; init; } = TimeSpan.FromDays(5 * 365);
    public TimeSpan LeafValidity { get; init; } = TimeSpan.FromDays(397);
    public TimeSpan CrlValidity { get; init; } = TimeSpan.FromDays(7);
    public KeyAlgorithm KeyAlgorithm { get; init; } = KeyAlgorithm.EcdsaP256;
}

/// <summary>
/// Creates a two-tier PKI in a folder: root CA → issuing CA → server certificate, plus empty CRLs.
/// Client certificates are issued separately (<see cref="IssueClient"/>).
/// </summary>
public static class DevelopmentPki
{
    public static void Create(DevelopmentPkiLayout layout, DevelopmentPkiSettings settings, DateTimeOffset now)
    {
        var notBefore = now.AddMinutes(-5);
        using var root = CertificateAuthority.CreateRoot(
            $"CN=MtlsAuthServer Root CA, O={settings.Organization}", notBefore, now + settings.CaValidity,
            settings.KeyAlgorithm, new RevocationEndpoints(CrlUri(settings, "root-ca.crl"), null));
        var issuingEndpoints = new RevocationEndpoints(CrlUri(settings, "issuing-ca.crl"), settings.OcspUri);
        using var issuing = root.CreateSubordinate(
            $"CN=MtlsAuthServer Issuing CA, O={settings.Organization}", notBefore, now + settings.CaValidity - TimeSpan.FromDays(1),
            settings.KeyAlgorithm, issuingEndpoints);
        using var server = issuing.Issue(CertificateProfile.ForServer(
            $"CN={(settings.ServerDnsNames.Count > 0 ? settings.ServerDnsNames[0] : "server")}, O={settings.Organization}",
            settings.ServerDnsNames, settings.ServerIpAddresses, notBefore, now + settings.LeafValidity));

        PemFiles.WriteCertificates(layout.RootCertificate, root.Certificate);
        PemFiles.WritePrivateKey(layout.RootKey, root.Certificate);
        PemFiles.WriteCertificates(layout.IssuingCertificate, issuing.Certificate);
        PemFiles.WritePrivateKey(layout.IssuingKey, issuing.Certificate);
        PemFiles.WriteCertificates(layout.TrustAnchors, root.Certificate);
        PemFiles.WriteCertificates(layout.Intermediates, issuing.Certificate);
        PemFiles.WriteCertificates(layout.ServerCertificate, server, issuing.Certificate);
        PemFiles.WritePrivateKey(layout.ServerKey, server);
        PublishFirstCrl(layout.RootCa, root, now, settings.CrlValidity);
        PublishFirstCrl(layout.IssuingCa, issuing, now, settings.CrlValidity);
    }

    /// <summary>
    /// Issues a client certificate from the folder's issuing CA and writes it (with its chain) and its key. The
    /// CRL/OCSP URLs come from the CA's state; <paramref name="crlBaseUri"/> only for a folder without one.
    /// </summary>
    public static string IssueClient(DevelopmentPkiLayout layout, string name, CertificateProfile profile, Uri? crlBaseUri)
    {
        using var issuing = layout.IssuingCa.Open(new RevocationEndpoints(crlBaseUri is null ? null : new Uri(crlBaseUri, "issuing-ca.crl"), null));
        using var client = issuing.Issue(profile);
        PemFiles.WriteCertificates(layout.ClientCertificate(name), client, issuing.Certificate);
        PemFiles.WritePrivateKey(layout.ClientKey(name), client);
        return layout.ClientCertificate(name);
    }

    /// <summary>CRL number 1, empty, and the state that remembers it and the CA's publication URLs.</summary>
    private static void PublishFirstCrl(CaFiles files, CertificateAuthority authority, DateTimeOffset now, TimeSpan validity)
    {
        CaStateFile.Save(files, new CaState
        {
            CrlNumber = 1,
            ThisUpdate = now,
            NextUpdate = now + validity,
            CrlDistributionPoint = authority.Endpoints.CrlUri?.AbsoluteUri,
            OcspUrl = authority.Endpoints.OcspUri?.AbsoluteUri,
        });
        PemFiles.WritePublic(files.Crl, authority.CreateCrl([], BigInteger.One, now, now + validity));
    }

    private static Uri? CrlUri(DevelopmentPkiSettings settings, string file) =>
        settings.CrlBaseUri is null ? null : new Uri(settings.CrlBaseUri, file);
}
