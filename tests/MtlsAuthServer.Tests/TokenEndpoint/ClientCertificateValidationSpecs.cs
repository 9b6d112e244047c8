using System.Net;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Pki;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.TokenEndpoint;

/// <summary>Each rule a client certificate must pass, tried over a real mTLS connection (issue 2's validation rules).</summary>
public sealed class ClientCertificateValidationSpecs(StandardTokenServer server) : IClassFixture<StandardTokenServer>
{
    private TestPki Pki => server.Pki;

    private TokenServerHost Host => server.Host;

    [Fact]
    public async Task A_certificate_from_the_trusted_ca_with_the_registered_subject_gets_a_token()
    {
        using var certificate = Pki.IssueClient("CN=payments, OU=Treasury, O=Test Org");
        using var client = Host.CreateMtlsClient(certificate);

        using var response = await client.RequestTokenAsync("payments");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_subject_dn_is_compared_as_a_name_not_as_a_string()
    {
        // Same name, different spelling: case, spaces around separators and inside values.
        using var certificate = Pki.IssueClient("CN=PAYMENTS, OU=treasury, O=Test   Org");
        using var client = Host.CreateMtlsClient(certificate);

        using var response = await client.RequestTokenAsync("payments");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_subject_dn_with_another_rdn_order_is_refused()
    {
        using var certificate = Pki.IssueClient("O=Test Org, OU=Treasury, CN=payments");
        using var client = Host.CreateMtlsClient(certificate);

        using var response = await client.RequestTokenAsync("payments");

        await OAuth.AssertRejectedAsync(response, Host.Logs, "identity_mismatch", certificate);
    }

    [Fact]
    public async Task A_certificate_with_another_subject_is_refused_for_the_client()
    {
        using var certificate = Pki.IssueClient("CN=payments-impostor, OU=Treasury, O=Test Org");
        using var client = Host.CreateMtlsClient(certificate);

        using var response = await client.RequestTokenAsync("payments");

        await OAuth.AssertRejectedAsync(response, Host.Logs, "identity_mismatch", certificate);
    }

    [Fact]
    public async Task A_certificate_from_another_ca_with_the_same_names_is_refused()
    {
        using var impostorPki = TestPki.Create();
        using var certificate = impostorPki.IssueClient("CN=payments, OU=Treasury, O=Test Org");
        using var client = MtlsHttpClient.Create(Pki, certificate, impostorPki.Issuing.Certificate);
        client.BaseAddress = Host.MtlsUri;

        using var response = await client.RequestTokenAsync("payments");

        await OAuth.AssertRejectedAsync(response, Host.Logs, "chain_untrusted", certificate);
    }

    [Fact]
    public async Task An_expired_certificate_is_refused()
    {
        using var certificate = Pki.IssueClient("CN=payments, OU=Treasury, O=Test Org",
            p => p with { NotBefore = TestPki.Now.AddDays(-10), NotAfter = TestPki.Now.AddHours(-1) });
        using var client = Host.CreateMtlsClient(certificate);

        using var response = await client.RequestTokenAsync("payments");

        await OAuth.AssertRejectedAsync(response, Host.Logs, "certificate_expired", certificate);
    }

    [Fact]
    public async Task A_certificate_that_expired_within_the_clock_skew_is_still_accepted()
    {
        using var certificate = Pki.IssueClient("CN=payments, OU=Treasury, O=Test Org",
            p => p with { NotBefore = TestPki.Now.AddDays(-10), NotAfter = TestPki.Now.AddMinutes(-2) });
        using var client = Host.CreateMtlsClient(certificate);

        using var response = await client.RequestTokenAsync("payments");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_certificate_that_is_not_yet_valid_is_refused()
    {
        using var certificate = Pki.IssueClient("CN=payments, OU=Treasury, O=Test Org",
            p => p with { NotBefore = TestPki.Now.AddHours(1), NotAfter = TestPki.Now.AddDays(10) });
        using var client = Host.CreateMtlsClient(certificate);

        using var response = await client.RequestTokenAsync("payments");

        await OAuth.AssertRejectedAsync(response, Host.Logs, "certificate_not_yet_valid", certificate);
    }

    [Fact]
    public async Task A_ca_certificate_offered_as_client_certificate_is_refused()
    {
        // The issuing CA's own certificate (its key is at hand in tests): it chains to the anchor, but is a CA.
        var certificate = Pki.Issuing.Certificate;
        using var client = Host.CreateMtlsClient(certificate);

        using var response = await client.RequestTokenAsync("payments");

        await OAuth.AssertRejectedAsync(response, Host.Logs, "not_end_entity", certificate);
    }

    [Fact]
    public async Task A_certificate_without_the_client_authentication_eku_is_refused()
    {
        using var certificate = Pki.IssueClient("CN=payments, OU=Treasury, O=Test Org",
            p => p with { ExtendedKeyUsages = [Oids.ServerAuthentication] });
        using var client = Host.CreateMtlsClient(certificate);

        using var response = await client.RequestTokenAsync("payments");

        await OAuth.AssertRejectedAsync(response, Host.Logs, "eku_invalid", certificate);
    }

    [Fact]
    public async Task A_certificate_whose_key_usage_excludes_digital_signature_is_refused()
    {
        using var certificate = Pki.IssueClient("CN=payments, OU=Treasury, O=Test Org",
            p => p with { KeyUsage = X509KeyUsageFlags.KeyEncipherment, KeyAlgorithm = KeyAlgorithm.Rsa2048 });
        using var client = Host.CreateMtlsClient(certificate);

        using var response = await client.RequestTokenAsync("payments");

        // TLS itself may refuse to sign CertificateVerify with such a key; either way no token is issued.
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        await OAuth.AssertRejectedAsync(response, Host.Logs, "key_usage_invalid", certificate);
    }

    [Theory]
    [InlineData("billing", "billing.example.com", true)]
    [InlineData("billing", "BILLING.example.com.", true)]
    [InlineData("billing", "other.example.com", false)]
    public async Task A_san_dns_client_matches_dns_names_case_insensitively(string clientId, string dnsName, bool accepted)
    {
        using var certificate = Pki.IssueClient("CN=whatever", p => p with { DnsNames = [dnsName] });
        await AssertOutcomeAsync(clientId, certificate, accepted);
    }

    [Theory]
    [InlineData("spiffe://example.org/ns/prod/sa/orders", true)]
    [InlineData("spiffe://example.org/ns/prod/sa/ORDERS", false)]
    [InlineData("spiffe://example.org/ns/prod/sa/orders/extra", false)]
    public async Task A_san_uri_client_matches_the_exact_uri(string uri, bool accepted)
    {
        using var certificate = Pki.IssueClient("CN=orders", p => p with { Uris = [uri] });
        await AssertOutcomeAsync("orders", certificate, accepted);
    }

    [Fact]
    public async Task A_san_uri_in_a_dns_entry_does_not_count_as_a_uri()
    {
        using var certificate = Pki.IssueClient("CN=orders", p => p with { DnsNames = ["billing.example.com"], Uris = ["https://example.org/orders"] });
        await AssertOutcomeAsync("orders", certificate, accepted: false);
    }

    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("10.1.2.4", false)]
    public async Task A_san_ip_client_matches_the_address(string address, bool accepted)
    {
        using var certificate = Pki.IssueClient("CN=gateway", p => p with { IpAddresses = [IPAddress.Parse(address)] });
        await AssertOutcomeAsync("gateway", certificate, accepted);
    }

    [Fact]
    public async Task An_ip_address_only_in_the_subject_does_not_match_a_san_ip_client()
    {
        using var certificate = Pki.IssueClient("CN=10.1.2.3");
        await AssertOutcomeAsync("gateway", certificate, accepted: false);
    }

    [Theory]
    [InlineData("robot@example.com", true)]
    [InlineData("ROBOT@example.com", false)]
    public async Task A_san_email_client_matches_the_domain_case_insensitively_and_the_local_part_exactly(string email, bool accepted)
    {
        using var certificate = Pki.IssueClient("CN=mailer", p => p with { Emails = [email] });
        await AssertOutcomeAsync("mailer", certificate, accepted);
    }

    [Fact]
    public async Task A_registered_self_signed_certificate_gets_a_token()
    {
        using var client = Host.CreateMtlsClient(server.SelfSigned.Certificate);

        using var response = await client.RequestTokenAsync("robot");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_second_registered_certificate_of_a_self_signed_client_also_works()
    {
        using var client = Host.CreateMtlsClient(server.SelfSignedRotated.Certificate);

        using var response = await client.RequestTokenAsync("robot");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_unregistered_self_signed_certificate_is_refused()
    {
        var (certificate, _) = Pki.CreateSelfSigned("CN=self-signed robot", "unregistered.crt");
        using (certificate)
        {
            using var client = Host.CreateMtlsClient(certificate);

            using var response = await client.RequestTokenAsync("robot");

            await OAuth.AssertRejectedAsync(response, Host.Logs, "self_signed_not_registered", certificate);
        }
    }

    [Fact]
    public async Task A_self_signed_certificate_is_refused_for_a_tls_client_auth_client()
    {
        var (certificate, _) = Pki.CreateSelfSigned("CN=payments, OU=Treasury, O=Test Org", "self-payments.crt");
        using (certificate)
        {
            using var client = Host.CreateMtlsClient(certificate);

            using var response = await client.RequestTokenAsync("payments");

            await OAuth.AssertRejectedAsync(response, Host.Logs, "auth_method_mismatch", certificate);
        }
    }

    [Fact]
    public async Task A_ca_issued_certificate_is_refused_for_a_self_signed_client()
    {
        using var certificate = Pki.IssueClient("CN=self-signed robot");
        using var client = Host.CreateMtlsClient(certificate);

        using var response = await client.RequestTokenAsync("robot");

        await OAuth.AssertRejectedAsync(response, Host.Logs, "auth_method_mismatch", certificate);
    }

    [Fact]
    public async Task A_request_without_a_client_certificate_gets_invalid_client()
    {
        using var client = Host.CreateMtlsClient(null);

        using var response = await client.RequestTokenAsync("payments");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", await response.ErrorAsync());
        Assert.Contains(Host.Logs.Rejections, e => e["Reason"] == "no_client_certificate" && e["ClientId"] == "payments");
    }

    [Fact]
    public async Task An_unknown_client_id_gets_invalid_client()
    {
        using var certificate = Pki.IssueClient("CN=payments, OU=Treasury, O=Test Org");
        using var client = Host.CreateMtlsClient(certificate);

        using var response = await client.RequestTokenAsync("nobody");

        await OAuth.AssertRejectedAsync(response, Host.Logs, "unknown_client", certificate);
    }

    [Fact]
    public async Task A_client_secret_is_never_accepted_in_place_of_the_certificate()
    {
        using var certificate = Pki.IssueClient("CN=payments, OU=Treasury, O=Test Org");
        using var client = Host.CreateMtlsClient(certificate);

        using var response = await client.PostAsync("token", OAuth.Form(
            ("grant_type", "client_credentials"), ("client_id", "payments"), ("client_secret", "guess")));

        await OAuth.AssertRejectedAsync(response, Host.Logs, "auth_method_not_allowed", certificate);
    }

    [Fact]
    public async Task A_client_that_sends_only_its_leaf_is_accepted_with_the_configured_intermediate()
    {
        using var certificate = Pki.IssueClient("CN=payments, OU=Treasury, O=Test Org");
        using var client = Host.CreateMtlsClient(certificate);

        using var response = await client.RequestTokenAsync("payments");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Each_rejection_is_counted_with_its_reason()
    {
        using var metrics = Host.CollectAuthentications();
        using var certificate = Pki.IssueClient("CN=payments-impostor, OU=Treasury, O=Test Org");
        using var client = Host.CreateMtlsClient(certificate);

        using var response = await client.RequestTokenAsync("payments");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(metrics.GetMeasurementSnapshot(), m =>
            m.Tags["outcome"] as string == "failure" && m.Tags["reason"] as string == "identity_mismatch" && m.Value == 1);
    }

    private async Task AssertOutcomeAsync(string clientId, X509Certificate2 certificate, bool accepted)
    {
        using var client = Host.CreateMtlsClient(certificate);
        using var response = await client.RequestTokenAsync(clientId);
        if (accepted)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        else
        {
            await OAuth.AssertRejectedAsync(response, Host.Logs, "identity_mismatch", certificate);
        }
    }
}
