using System.Net;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Tests.Infrastructure;
using MtlsAuthServer.Tests.Proxy;

namespace MtlsAuthServer.Tests.Certificates;

/// <summary>A token server with a CA-issued client and a self-signed client whose registered certificate has an RSA-1024 key.</summary>
public sealed class WeakCertificateServer : IDisposable
{
    public const string Subject = "CN=payments, OU=Treasury, O=Test Org";

    public WeakCertificateServer()
    {
        Pki = TestPki.Create();
        WeakSelfSigned = WeakCertificates.SelfSignedRsa1024(Pki, "CN=legacy robot", "legacy-robot.crt");
        Host = TokenServerHost.Start(Pki, settings => settings
            .AddTlsClient("payments", "tls_client_auth_subject_dn", Subject)
            .AddSelfSignedClient("legacy-robot", WeakSelfSigned.PemPath));
    }

    public TestPki Pki { get; }

    public TokenServerHost Host { get; }

    public (X509Certificate2 Certificate, string PemPath) WeakSelfSigned { get; }

    public void Dispose()
    {
        Host.Dispose();
        WeakSelfSigned.Certificate.Dispose();
        Pki.Dispose();
    }
}

/// <summary>
/// RFC 9325 §4.2 / issue 12 item 5: SHA-1 and MD5 signatures, RSA keys under 2048 bits and EC keys off P-256/384/521
/// are refused anywhere in the client's path — presented in TLS, forwarded by a trusted proxy, or registered
/// self-signed — as <c>invalid_client</c> with the logged reason <c>certificate_weak</c>.
/// </summary>
public sealed class WeakCertificateSpecs(WeakCertificateServer server) : IClassFixture<WeakCertificateServer>
{
    /// <summary>What a client's TLS stack can present directly (at OpenSSL security level 0).</summary>
    public static TheoryData<string> PresentableWeaknesses =>
    [
        WeakCertificates.Sha1Leaf, WeakCertificates.Sha1Intermediate, WeakCertificates.Md5Leaf, WeakCertificates.Rsa1024Leaf,
        WeakCertificates.Rsa1024Intermediate,
    ];

    public static TheoryData<string> Weaknesses =>
    [
        WeakCertificates.Sha1Leaf, WeakCertificates.Sha1Intermediate, WeakCertificates.Md5Leaf, WeakCertificates.Rsa1024Leaf,
        WeakCertificates.Rsa1024Intermediate, WeakCertificates.P192Leaf, WeakCertificates.Secp256k1Leaf,
    ];

    [Theory]
    [MemberData(nameof(PresentableWeaknesses))]
    public async Task A_weak_certificate_presented_in_tls_is_refused_as_certificate_weak(string weakness)
    {
        using var path = WeakCertificates.Mint(server.Pki, weakness, WeakCertificateServer.Subject);

        using var response = await LegacyTlsClient.RequestTokenAsync(server.Host, "payments", path.Leaf, path.Intermediates);

        await OAuth.AssertRejectedAsync(response, server.Host.Logs, "certificate_weak", path.Leaf);
    }

    [Theory]
    [InlineData(WeakCertificates.P192Leaf)]
    [InlineData(WeakCertificates.Secp256k1Leaf)]
    public async Task An_ec_key_off_the_named_curves_cannot_even_complete_a_direct_handshake(string weakness)
    {
        // TLS 1.3 offers no signature scheme for such a key (OpenSSL then sends no certificate); over TLS 1.2 the
        // server's TLS stack refuses the key. Only a proxy can bring one to the app: see the forwarded spec below.
        using var path = WeakCertificates.Mint(server.Pki, weakness, WeakCertificateServer.Subject);

        var failure = await LegacyTlsClient.HandshakeFailureAsync(server.Host, "payments", path.Leaf, path.Intermediates, tlsMax: "1.2");

        Assert.Contains("alert", failure, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Weaknesses))]
    public async Task A_weak_certificate_forwarded_by_the_trusted_proxy_is_refused_as_certificate_weak(string weakness)
    {
        using var proxied = ProxiedTokenServer.Start(settings => settings["Proxy:HeaderFormat"] = "Rfc9440");
        using var path = WeakCertificates.Mint(proxied.Pki, weakness, "CN=payments,O=Test Org");
        using var client = proxied.From(ProxiedTokenServer.TrustedProxy);
        var headers = new List<(string, string)> { ("Client-Cert", ForwardedHeaderValues.ByteSequence(path.Leaf)) };
        if (path.Intermediates.Length > 0)
        {
            headers.Add(("Client-Cert-Chain", string.Join(", ", path.Intermediates.Select(ForwardedHeaderValues.ByteSequence))));
        }

        using var response = await client.SendAsync(ProxiedTokenServer.TokenRequest("payments", [.. headers]));

        await OAuth.AssertRejectedAsync(response, proxied.Host.Logs, "certificate_weak", path.Leaf);
    }

    [Fact]
    public async Task A_registered_self_signed_certificate_with_an_rsa_1024_key_is_refused_as_certificate_weak()
    {
        using var response = await LegacyTlsClient.RequestTokenAsync(server.Host, "legacy-robot", server.WeakSelfSigned.Certificate, []);

        await OAuth.AssertRejectedAsync(response, server.Host.Logs, "certificate_weak", server.WeakSelfSigned.Certificate);
    }

    [Fact]
    public async Task An_rsa_2048_certificate_meets_the_default_minimum()
    {
        using var certificate = WeakCertificates.RsaLeaf(server.Pki, WeakCertificateServer.Subject, 2048);
        using var client = server.Host.CreateMtlsClient(certificate);

        using var response = await client.RequestTokenAsync("payments");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_minimum_raised_to_rsa_3072_refuses_a_2048_bit_key_and_accepts_3072()
    {
        using var pki = TestPki.Create();
        using var host = TokenServerHost.Start(pki, settings =>
        {
            settings.AddTlsClient("payments", "tls_client_auth_subject_dn", WeakCertificateServer.Subject);
            settings["ClientCertificates:MinimumRsaKeyBits"] = "3072";
        });
        using var rsa2048 = WeakCertificates.RsaLeaf(pki, WeakCertificateServer.Subject, 2048);
        using var rsa3072 = WeakCertificates.RsaLeaf(pki, WeakCertificateServer.Subject, 3072);
        using var weakClient = host.CreateMtlsClient(rsa2048);
        using var strongClient = host.CreateMtlsClient(rsa3072);

        using var refused = await weakClient.RequestTokenAsync("payments");
        using var accepted = await strongClient.RequestTokenAsync("payments");

        await OAuth.AssertRejectedAsync(refused, host.Logs, "certificate_weak", rsa2048);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Theory]
    [InlineData("MinimumRsaKeyBits", "1024")]
    [InlineData("MinimumEcCurveBits", "192")]
    public void A_minimum_below_the_floor_refuses_to_start_naming_the_key(string key, string value)
    {
        using var pki = TestPki.Create();

        var exception = Assert.ThrowsAny<Exception>(() => TokenServerHost.Start(pki, settings => settings[$"ClientCertificates:{key}"] = value).Dispose());

        Assert.Contains($"ClientCertificates:{key}", exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refusals_are_counted_under_certificate_weak()
    {
        using var collector = server.Host.CollectAuthentications();
        using var path = WeakCertificates.Mint(server.Pki, WeakCertificates.Rsa1024Leaf, WeakCertificateServer.Subject);

        using var response = await LegacyTlsClient.RequestTokenAsync(server.Host, "payments", path.Leaf, path.Intermediates);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(collector.GetMeasurementSnapshot(), m => (string?)m.Tags["reason"] == "certificate_weak" && (string?)m.Tags["outcome"] == "failure");
    }
}
