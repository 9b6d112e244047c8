using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Tests.Revocation.Hostile;

/// <summary>The hand-made certificates are what their names say, and chain as a relying party would build them.</summary>
public sealed class HostileCertificatesSpecs
{
    [Fact]
    public void Ca_without_crl_sign_issues_a_leaf_that_chains_and_points_at_its_revocation_endpoints()
    {
        var now = DateTimeOffset.UtcNow;
        using var root = CertificateAuthority.CreateRoot("CN=Hostile Root, O=MtlsAuthServer Tests", now.AddDays(-1), now.AddDays(30));
        using var ca = HostileCertificates.CaWithoutCrlSign(root, "CN=No CRL Sign CA, O=MtlsAuthServer Tests", new Uri("http://127.0.0.1:1/root.crl"));
        using var leaf = HostileCertificates.IssueLeaf(ca, "CN=leaf, O=MtlsAuthServer Tests", new Uri("http://127.0.0.1:1/ca.crl"), new Uri("http://127.0.0.1:1/ocsp"));

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root.Certificate);
        chain.ChainPolicy.ExtraStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;

        Assert.True(chain.Build(leaf), string.Join("; ", chain.ChainStatus.Select(status => status.StatusInformation)));
        var usage = Assert.IsType<X509KeyUsageExtension>(ca.Extensions[Oids.KeyUsage]);
        Assert.False(usage.KeyUsages.HasFlag(X509KeyUsageFlags.CrlSign));
        Assert.True(usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign));
        Assert.True(ca.HasPrivateKey && leaf.HasPrivateKey);
        Assert.NotNull(leaf.Extensions[Oids.CrlDistributionPoints]);
        Assert.Equal(["http://127.0.0.1:1/ocsp"], Assert.IsType<X509AuthorityInformationAccessExtension>(leaf.Extensions[Oids.AuthorityInformationAccess]).EnumerateOcspUris());
    }

    [Fact]
    public void Delegated_responder_carries_the_asked_usages_no_check_and_exact_validity()
    {
        var now = DateTimeOffset.UtcNow;
        using var issuer = CertificateAuthority.CreateRoot("CN=Hostile Issuer, O=MtlsAuthServer Tests", now.AddDays(-1), now.AddDays(30));
        var notAfter = now.AddDays(-2);

        using var expired = HostileCertificates.DelegatedResponder(issuer, withOcspNoCheck: true, [Oids.OcspSigning], now.AddDays(-3), notAfter);

        Assert.Equal(issuer.Certificate.SubjectName.RawData, expired.IssuerName.RawData);
        Assert.Equal(notAfter.ToUnixTimeSeconds(), new DateTimeOffset(expired.NotAfter).ToUnixTimeSeconds());
        Assert.Equal(Oids.OcspSigning, Assert.Single(Assert.IsType<X509EnhancedKeyUsageExtension>(expired.Extensions[Oids.ExtendedKeyUsage]).EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>()).Value);
        Assert.Equal([0x05, 0x00], expired.Extensions[HostileCertificates.OcspNoCheckOid]!.RawData);
        Assert.True(expired.HasPrivateKey);
    }
}
