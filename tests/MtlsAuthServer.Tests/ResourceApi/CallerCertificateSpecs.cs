using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Pki;
using MtlsAuthServer.Tests.Infrastructure;
using static MtlsAuthServer.Tests.ResourceApi.ResourceApiAssertions;

namespace MtlsAuthServer.Tests.ResourceApi;

/// <summary>
/// The caller's certificate at the API, judged by the standard certificate handler plus our rules: with a token
/// bound to exactly that certificate (signed with the token server's key, Local mode), only the certificate can be
/// the reason for a refusal, and the one logged reason names what is wrong with it.
/// </summary>
public sealed class CallerCertificateSpecs(BoundTokenEnvironment environment) : IClassFixture<BoundTokenEnvironment>
{
    [Fact]
    public async Task An_expired_certificate_is_refused_as_certificate_expired()
    {
        // Past notAfter by more than the 5-minute skew; the chain itself is sound.
        using var expired = environment.Pki.IssueClient("CN=payments, O=Test Org", p => p with { NotBefore = TestPki.Now.AddDays(-30), NotAfter = TestPki.Now.AddMinutes(-10) });

        await AssertRefusedAsync(expired, "certificate_expired");
    }

    [Fact]
    public async Task A_certificate_valid_only_from_tomorrow_is_refused_as_certificate_not_yet_valid()
    {
        using var early = environment.Pki.IssueClient("CN=payments, O=Test Org", p => p with { NotBefore = TestPki.Now.AddDays(1), NotAfter = TestPki.Now.AddDays(30) });

        await AssertRefusedAsync(early, "certificate_not_yet_valid");
    }

    [Fact]
    public async Task A_ca_certificate_presented_as_caller_is_refused_as_not_end_entity()
    {
        // Chains to our root through our issuing CA and allows clientAuth: only the CA flag is wrong.
        using var ca = environment.Pki.IssueClient("CN=payments, O=Test Org", p => p with { MarkAsCertificateAuthority = true });

        await AssertRefusedAsync(ca, "not_end_entity");
    }

    [Fact]
    public async Task A_certificate_without_the_client_authentication_usage_is_refused_as_eku_invalid()
    {
        using var server = environment.Pki.IssueClient("CN=payments, O=Test Org", p => p with { ExtendedKeyUsages = [Oids.ServerAuthentication] });

        await AssertRefusedAsync(server, "eku_invalid");
    }

    [Theory]
    [InlineData(WeakCertificates.Rsa1024Leaf)]
    [InlineData(WeakCertificates.Sha1Leaf)]
    public async Task A_weak_certificate_from_a_trusted_ca_is_refused_as_certificate_weak(string weakness)
    {
        // .NET's client refuses to send such a certificate; curl at OpenSSL security level 0 sends it, as an attacker's would.
        using var path = WeakCertificates.Mint(environment.Pki, weakness, "CN=payments, O=Test Org");
        var api = environment.LocalApi;
        var token = BoundTo(path.Leaf);

        var (response, rejections) = await ObserveAsync(api, () => LegacyTlsClient.GetWithBearerAsync(environment.Pki, new Uri(api.Uri, "api/whoami"), token, path.Leaf, path.Intermediates));

        using (response)
        {
            AssertInvalidToken(response, rejections, "certificate_weak", path.Leaf);
        }
    }

    [Theory]
    [InlineData("foreign CA")]
    [InlineData("forged name of our issuing CA")]
    public async Task A_certificate_from_an_unknown_issuer_is_refused_without_fetching_the_issuer_its_aia_names(string issuer)
    {
        // The handler's chain build would download a missing issuer from the AIA URL (it does not disable downloads):
        // an outbound request to an address the caller chose, before anything is trusted.
        await using var aia = await StaticHttpServer.StartAsync();
        using var foreignKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var foreignName = issuer == "foreign CA" ? new X500DistinguishedName("CN=Foreign Issuing CA, O=Elsewhere") : environment.Pki.Issuing.Certificate.SubjectName;
        using var foreignCa = CreateCa(foreignName, foreignKey);
        aia.Serve("/ca.crt", foreignCa.RawData, "application/pkix-cert");
        using var caller = IssueWithAia(foreignCa, foreignKey, new Uri(aia.BaseUri, "ca.crt"));

        await AssertRefusedAsync(caller, "chain_untrusted");

        Assert.Equal(0, aia.RequestCount);
    }

    [Fact]
    public async Task A_cached_verdict_is_not_used_once_the_certificate_has_expired_by_the_apis_clock()
    {
        // No skew, so the API's clock alone decides; the handler's own cache would keep the verdict until notAfter by
        // the system clock, which has not passed.
        using var api = ResourceApiHost.Start(environment.Pki, environment.TokenServer, BoundTokenEnvironment.Local,
            configure: settings => settings["ClientCertificates:ClockSkew"] = "00:00:00");
        using var shortLived = environment.Pki.IssueClient("CN=payments, O=Test Org", p => p with { NotAfter = TestPki.Now.AddMinutes(1) });
        var token = BoundTo(shortLived);
        using (var accepted = await BoundTokenEnvironment.CallAsync(api, shortLived, token))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        using var later = api.Clock.Shift(TimeSpan.FromMinutes(2));
        var (response, rejections) = await ObserveAsync(api, () => BoundTokenEnvironment.CallAsync(api, shortLived, token));

        using (response)
        {
            AssertInvalidToken(response, rejections, "certificate_expired", shortLived);
        }
    }

    private string BoundTo(X509Certificate2 certificate) =>
        environment.Minter.Mint(environment.TokenServer.PublicUri, "payments", $"{{\"x5t#S256\":\"{OAuth.Thumbprint(certificate)}\"}}");

    private async Task AssertRefusedAsync(X509Certificate2 certificate, string reason)
    {
        var api = environment.LocalApi;
        var token = BoundTo(certificate);
        using var metrics = api.CollectTokenValidations();

        var (response, rejections) = await ObserveAsync(api, () => BoundTokenEnvironment.CallAsync(api, certificate, token));

        using (response)
        {
            AssertInvalidToken(response, rejections, reason, certificate);
        }

        Assert.Contains(metrics.GetMeasurementSnapshot(), m => (string?)m.Tags["reason"] == reason && (string?)m.Tags["outcome"] == "failure");
    }

    private static X509Certificate2 CreateCa(X500DistinguishedName name, ECDsa key)
    {
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(TestPki.Now.AddDays(-1), TestPki.Now.AddDays(30));
    }

    private static X509Certificate2 IssueWithAia(X509Certificate2 issuer, ECDsa issuerKey, Uri caIssuers)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=payments, O=Test Org", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(Oids.ClientAuthentication)], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension(null, [caIssuers.AbsoluteUri]));
        using var certificate = request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), TestPki.Now.AddDays(-1), TestPki.Now.AddDays(10), [0x01, 0x42]);
        return certificate.CopyWithPrivateKey(key);
    }
}
