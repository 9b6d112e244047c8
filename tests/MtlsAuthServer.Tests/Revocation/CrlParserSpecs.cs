using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MtlsAuthServer.Certificates.Revocation;
using MtlsAuthServer.Pki;
using MtlsAuthServer.Tests.Revocation.Hostile;

namespace MtlsAuthServer.Tests.Revocation;

/// <summary>
/// The CRL parser and its two judgements (<c>Authenticate</c>: who signed it; <c>Covers</c>: whom it speaks for), on
/// hand-made CRLs: every malformed input is a <see cref="CryptographicException"/>, never another exception.
/// </summary>
public sealed class CrlParserSpecs : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly CertificateAuthority _root = CertificateAuthority.CreateRoot("CN=Parser Root", Now.AddDays(-1), Now.AddDays(30));
    private readonly CertificateAuthority _issuing;
    private readonly X509Certificate2 _leaf;

    public CrlParserSpecs()
    {
        _issuing = _root.CreateSubordinate("CN=Parser Issuing CA", Now.AddDays(-1), Now.AddDays(20),
            endpoints: new RevocationEndpoints(new Uri("http://crl.test/partition-1.crl"), null));
        _leaf = _issuing.Issue(CertificateProfile.ForClient("CN=leaf", Now.AddDays(-1), Now.AddDays(2)));
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "trailing-data", "malformed" },
        { "next-update-before-this-update", "nextUpdate precedes its thisUpdate" },
        { "pem-of-another-label", "not 'X509 CRL'" },
        { "negative-crl-number", "negative" },
        { "empty", "malformed" },
        { "half", "malformed" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_crls_are_refused_with_a_cryptographic_exception_only(string kind, string message)
    {
        var good = Write(new CrlSpec());
        var data = kind switch
        {
            "trailing-data" => [.. good, 0x00],
            "next-update-before-this-update" => Write(new CrlSpec { ThisUpdate = Now, NextUpdate = Now.AddHours(-1) }),
            "pem-of-another-label" => Encoding.ASCII.GetBytes(PemEncoding.WriteString("CERTIFICATE", good)),
            "negative-crl-number" => Write(new CrlSpec { CrlNumber = -5 }),
            "empty" => [],
            _ => HostileBodies.Truncated(good, good.Length / 2),
        };

        var refused = Assert.Throws<CryptographicException>(() => CertificateRevocationList.Parse(data));

        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_crl_for_user_certificates_only_does_not_cover_a_ca_certificate()
    {
        var crl = CertificateRevocationList.Parse(TestCrlWriter.Write(new CrlSpec { IdpOnlyUserCerts = true }, _root.Certificate));

        Assert.False(crl.Covers(_issuing.Certificate, out var reason));
        Assert.Contains("excludes this kind of certificate", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_partitioned_crl_covers_a_certificate_when_one_of_its_names_is_the_certificates_distribution_point()
    {
        var crl = CertificateRevocationList.Parse(Write(new CrlSpec { IdpFullNameUris = ["http://crl.test/partition-9.crl", "http://crl.test/partition-1.crl"] }));
        var other = CertificateRevocationList.Parse(Write(new CrlSpec { IdpFullNameUris = ["http://crl.test/partition-9.crl"] }));
        using var withoutDistributionPoint = CertificateAuthority.CreateRoot("CN=Parser Root", Now.AddDays(-1), Now.AddDays(30))
            .CreateSubordinate("CN=x", Now.AddDays(-1), Now.AddDays(1)).Issue(CertificateProfile.ForClient("CN=y", Now.AddDays(-1), Now.AddDays(1)));

        Assert.True(crl.Covers(_leaf, out var reason), reason);
        Assert.False(other.Covers(_leaf, out _));
        Assert.False(crl.Covers(withoutDistributionPoint, out _));
    }

    [Fact]
    public void A_crl_is_authenticated_only_by_its_issuers_key()
    {
        var crl = CertificateRevocationList.Parse(Write(new CrlSpec()));
        using var impostor = CertificateAuthority.CreateRoot("CN=Parser Root", Now.AddDays(-1), Now.AddDays(30))
            .CreateSubordinate("CN=Parser Issuing CA", Now.AddDays(-1), Now.AddDays(20));

        Assert.True(crl.Authenticate(_issuing.Certificate, out var reason), reason);
        Assert.False(crl.Authenticate(impostor.Certificate, out reason));
        Assert.Contains("does not verify", reason, StringComparison.Ordinal);
        Assert.False(crl.Authenticate(_root.Certificate, out reason));
        Assert.Contains("not the certificate's issuer", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_crl_signed_by_a_ca_whose_key_usage_lacks_crl_sign_is_not_authenticated()
    {
        using var ca = HostileCertificates.CaWithoutCrlSign(_root, "CN=No CRL Sign CA", crlUri: null);
        var crl = CertificateRevocationList.Parse(TestCrlWriter.Write(new CrlSpec(), ca));

        Assert.False(crl.Authenticate(ca, out var reason));
        Assert.Contains("does not allow cRLSign", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Crl_numbers_order_crls_of_one_scope_and_this_update_breaks_ties()
    {
        var first = CertificateRevocationList.Parse(Write(new CrlSpec { CrlNumber = 9, ThisUpdate = Now.AddHours(-1) }));
        var second = CertificateRevocationList.Parse(Write(new CrlSpec { CrlNumber = 10, ThisUpdate = Now.AddHours(-2) }));
        var reissued = CertificateRevocationList.Parse(Write(new CrlSpec { CrlNumber = 10, ThisUpdate = Now.AddMinutes(-1) }));
        var partition = CertificateRevocationList.Parse(Write(new CrlSpec { CrlNumber = 10, IdpFullNameUris = ["http://crl.test/partition-1.crl"] }));

        Assert.True(first.IsOlderThan(second));
        Assert.False(second.IsOlderThan(first));
        Assert.True(second.IsOlderThan(reissued));
        Assert.Equal(first.ScopeKey, second.ScopeKey);
        Assert.NotEqual(first.ScopeKey, partition.ScopeKey);
    }

    public void Dispose()
    {
        _leaf.Dispose();
        _issuing.Dispose();
        _root.Dispose();
    }

    private byte[] Write(CrlSpec spec) => TestCrlWriter.Write(spec, _issuing.Certificate);
}
