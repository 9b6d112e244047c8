using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Certificates.Revocation;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Tests.Revocation.Hostile;

/// <summary>The CRL writer's own checks: its default output is a CRL that three independent parsers accept.</summary>
public sealed class TestCrlWriterSpecs : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private readonly CertificateAuthority _ca = CertificateAuthority.CreateRoot("CN=Hostile CRL CA, O=MtlsAuthServer Tests", Now.AddDays(-1), Now.AddDays(30));

    private readonly CertificateAuthority _rsaCa = CertificateAuthority.CreateRoot(
        "CN=Hostile RSA CRL CA, O=MtlsAuthServer Tests", Now.AddDays(-1), Now.AddDays(30), KeyAlgorithm.Rsa2048);

    public static TheoryData<bool> Algorithms => new() { false, true };

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Default_crl_parses_verifies_and_lists_the_revoked_serials(bool rsa)
    {
        var ca = rsa ? _rsaCa : _ca;
        using var revoked = ca.Issue(CertificateProfile.ForClient("CN=revoked", Now.AddDays(-1), Now.AddDays(1)));
        using var good = ca.Issue(CertificateProfile.ForClient("CN=good", Now.AddDays(-1), Now.AddDays(1)));
        var der = TestCrlWriter.Write(new CrlSpec { Revoked = [CrlSpec.Entry(revoked, Now.AddHours(-1))], CrlNumber = 7 }, ca.Certificate);

        var crl = CertificateRevocationList.Parse(der);

        Assert.True(crl.IsRevoked(revoked));
        Assert.False(crl.IsRevoked(good));
        Assert.True(crl.Authenticate(ca.Certificate, out var reason), reason);
        Assert.True(crl.Covers(good, out reason), reason);
        Assert.True(CertificateRevocationList.Parse(System.Text.Encoding.ASCII.GetBytes(TestCrlWriter.ToPem(der))).IsRevoked(revoked));
        _ = CertificateRevocationListBuilder.Load(der, out BigInteger number);
        Assert.Equal(7, number);
    }

    [Fact]
    public async Task Openssl_reads_the_default_crl_and_verifies_its_signature()
    {
        using var revoked = _ca.Issue(CertificateProfile.ForClient("CN=revoked", Now.AddDays(-1), Now.AddDays(1)));
        var der = TestCrlWriter.Write(new CrlSpec { Revoked = [CrlSpec.Entry(revoked, Now.AddHours(-1))] }, _ca.Certificate);
        var caPath = Path.GetTempFileName();
        try
        {
            PemFiles.WriteCertificates(caPath, _ca.Certificate);

            var text = await OpenSslText.RunAsync(der, "crl", "-inform", "DER", "-in", "{0}", "-noout", "-text", "-CAfile", caPath);

            Assert.Contains("verify OK", text, StringComparison.Ordinal);
            Assert.Contains("Version 2", text, StringComparison.Ordinal);
            Assert.Contains($"Serial Number: {revoked.SerialNumber}", text, StringComparison.Ordinal);
            Assert.Contains("X509v3 Authority Key Identifier", text, StringComparison.Ordinal);
            Assert.Contains("X509v3 CRL Number", text, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(caPath);
        }
    }

    /// <summary>openssl decodes every hostile option as the RFC 5280 structure it stands for, so a rejection is for the right reason.</summary>
    [Fact]
    public async Task Openssl_reads_every_hostile_extension_as_what_it_is_meant_to_be()
    {
        var spec = new CrlSpec
        {
            ThisUpdate = new DateTimeOffset(2051, 1, 1, 0, 0, 0, TimeSpan.Zero),
            NextUpdate = new DateTimeOffset(2052, 1, 1, 0, 0, 0, TimeSpan.Zero),
            IdpFullNameUris = ["http://127.0.0.1/a.crl"],
            IdpOnlyUserCerts = true,
            IdpOnlySomeReasons = true,
            IdpIndirectCrl = true,
            DeltaCrlIndicator = true,
            CrlNumber = 5,
            UnknownCriticalExtensionOid = "1.3.6.1.4.1.99999.1",
        };

        var text = await OpenSslText.RunAsync(TestCrlWriter.Write(spec, _ca.Certificate), "crl", "-inform", "DER", "-in", "{0}", "-noout", "-text");

        Assert.Contains("X509v3 Issuing Distribution Point: critical", text, StringComparison.Ordinal);
        Assert.Contains("URI:http://127.0.0.1/a.crl", text, StringComparison.Ordinal);
        Assert.Contains("Only User Certificates", text, StringComparison.Ordinal);
        Assert.Contains("Key Compromise, CA Compromise", text, StringComparison.Ordinal);
        Assert.Contains("Indirect CRL", text, StringComparison.Ordinal);
        Assert.Contains("X509v3 Delta CRL Indicator: critical", text, StringComparison.Ordinal);
        Assert.Contains("1.3.6.1.4.1.99999.1: critical", text, StringComparison.Ordinal);
        Assert.Contains("2052 GMT", text, StringComparison.Ordinal);
        Assert.Throws<CryptographicException>(() => CertificateRevocationList.Parse(TestCrlWriter.Write(spec, _ca.Certificate)));
    }

    public void Dispose()
    {
        _ca.Dispose();
        _rsaCa.Dispose();
    }
}
