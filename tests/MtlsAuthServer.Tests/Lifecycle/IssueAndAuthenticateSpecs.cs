using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Certificates.Revocation;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Lifecycle;

/// <summary>init → issue-client (new key, CSR, self-signed) → a token over real mTLS from a server configured with the tool's files.</summary>
public sealed class IssueAndAuthenticateSpecs
{
    [Fact]
    public async Task A_client_certificate_issued_by_the_tool_gets_a_certificate_bound_token()
    {
        using var pki = await ToolPki.InitAsync();
        await pki.RunAsync("issue-client", "--name", "payments", "--subject", "CN=payments,O=Lifecycle Test");
        using var host = pki.StartServer(settings => settings.AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Lifecycle Test"));
        using var certificate = pki.LoadClient("payments");
        using var client = host.CreateMtlsClient(certificate);

        var token = await client.GetAccessTokenAsync("payments", "api:read");

        Assert.Equal(OAuth.Thumbprint(certificate), OAuth.DecodePayload(token).GetProperty("cnf").GetProperty("x5t#S256").GetString());
        // The certificate names the server's own management listener as its CRL distribution point, and the
        // server (Revocation:Mode=Online) fetched the tool's CRL from there to accept it.
        Assert.Equal([new Uri(pki.ManagementUri, "crl/issuing-ca.crl")], CertificateLocations.CrlDistributionPoints(certificate));
    }

    [Fact]
    public async Task The_printed_registration_in_json_and_in_environment_form_authenticates_the_certificate()
    {
        using var pki = await ToolPki.InitAsync();
        // A SPIFFE ID, an RSA key and the SAN URI as identity; and a subject DN that needs RFC 4514 escaping.
        var orders = await pki.RunAsync("issue-client", "--name", "orders", "--subject", "CN=orders,O=Lifecycle Test",
            "--san-uri", "spiffe://example.org/ns/prod/sa/orders", "--san-dns", "orders.example.org", "--key", "rsa-2048",
            "--identity", "san_uri", "--scope", "api:read", "--print-registration");
        var billing = await pki.RunAsync("issue-client", "--name", "billing", "--subject", @"CN=billing,O=Lifecycle\, Test",
            "--client-id", "billing-service", "--print-registration");
        var ordersJson = ToolOutput.RegistrationJson(orders);
        var billingEnvironment = ToolOutput.RegistrationEnvironment(billing);

        Assert.Equal("spiffe://example.org/ns/prod/sa/orders", ordersJson.GetProperty("tls_client_auth_san_uri").GetString());
        Assert.Equal("tls_client_auth", ordersJson.GetProperty("token_endpoint_auth_method").GetString());
        Assert.Equal(@"CN=billing,O=Lifecycle\, Test", billingEnvironment["Clients:0:tls_client_auth_subject_dn"]);
        Assert.Equal(ToolOutput.RegistrationJson(billing).EnumerateObject().Select(p => ("Clients:0:" + p.Name, p.Value.GetString())),
            billingEnvironment.Select(pair => (pair.Key, (string?)pair.Value)));

        using var host = pki.StartServer(settings =>
        {
            ToolOutput.AddClient(settings, 0, ordersJson);
            foreach (var (key, value) in billingEnvironment)
            {
                settings[key.Replace("Clients:0:", "Clients:1:", StringComparison.Ordinal)] = value;
            }
        });
        using var ordersCertificate = pki.LoadClient("orders");
        using var billingCertificate = pki.LoadClient("billing");
        using var ordersClient = host.CreateMtlsClient(ordersCertificate);
        using var billingClient = host.CreateMtlsClient(billingCertificate);

        Assert.Equal(HttpStatusCode.OK, (await ordersClient.RequestTokenAsync("orders", "api:read")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await billingClient.RequestTokenAsync("billing-service")).StatusCode);
        Assert.NotNull(ordersCertificate.GetRSAPublicKey());
    }

    [Fact]
    public async Task A_subject_written_with_any_rfc_4514_syntax_a_registration_accepts_is_issued_as_that_name()
    {
        using var pki = await ToolPki.InitAsync();
        // Hex-escaped UTF-8 and a multi-valued RDN: read by the registration's RFC 4514 reader, not .NET's parser.
        await pki.RunAsync("issue-client", "--name", "mueller", "--subject", @"CN=M\C3\BCller+UID=42,O=Lifecycle Test");
        using var host = pki.StartServer(settings => settings.AddTlsClient("mueller", "tls_client_auth_subject_dn", "UID=42+CN=Müller,O=Lifecycle Test"));
        using var certificate = pki.LoadClient("mueller");
        using var client = host.CreateMtlsClient(certificate);

        using var response = await client.RequestTokenAsync("mueller");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("CN=billing,O=\"Lifecycle, Test\"", "quote")] // RFC 2253 quoting: a registration refuses it too
    [InlineData("CN=#0C", "#hex")]
    [InlineData("XX=billing", "unknown attribute type")]
    public async Task A_subject_a_registration_would_refuse_is_refused_by_the_tool_with_the_reason(string subject, string reason)
    {
        using var pki = await ToolPki.InitAsync();

        var run = await PkiToolRun.RunAsync("issue-client", "--name", "refused", "--subject", subject, "--pki", pki.Folder);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--subject", run.Error + run.Output, StringComparison.Ordinal);
        Assert.Contains(reason, run.Error + run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_csr_authenticates_with_the_clients_own_key_and_the_subject_from_the_command_line()
    {
        using var pki = await ToolPki.InitAsync();
        var keyPath = Path.Combine(pki.Folder, "own.key");
        var csrPath = Path.Combine(pki.Folder, "own.csr");
        // The client's side, as a user would do it: openssl makes the key and the CSR (asking for another subject).
        await OpenSslAsync("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", keyPath, "-out", csrPath, "-subj", "/CN=admin/O=Someone Else");

        var run = await pki.RunAsync("issue-client", "--csr", csrPath, "--name", "inventory", "--subject", "CN=inventory,O=Lifecycle Test");

        Assert.False(File.Exists(pki.Layout.ClientKey("inventory")), "no key is written for a CSR");
        Assert.Contains("the key stays with the client", run.Output, StringComparison.Ordinal);
        using var certificate = X509Certificate2.CreateFromPemFile(pki.Layout.ClientCertificate("inventory"), keyPath);
        Assert.Equal("CN=inventory, O=Lifecycle Test", certificate.Subject);
        using var host = pki.StartServer(settings => settings.AddTlsClient("inventory", "tls_client_auth_subject_dn", "CN=inventory,O=Lifecycle Test"));
        using var client = host.CreateMtlsClient(certificate);

        Assert.Equal(HttpStatusCode.OK, (await client.RequestTokenAsync("inventory")).StatusCode);
    }

    [Fact]
    public async Task A_self_signed_certificate_with_its_printed_registration_gets_a_token()
    {
        using var pki = await ToolPki.InitAsync();
        var run = await pki.RunAsync("self-signed", "--name", "robot", "--subject", "CN=robot,O=Edge", "--scope", "api:read");
        var registration = ToolOutput.RegistrationJson(run);
        Assert.Equal("self_signed_tls_client_auth", registration.GetProperty("token_endpoint_auth_method").GetString());

        using var host = pki.StartServer(settings => ToolOutput.AddClient(settings, 0, registration));
        using var certificate = pki.LoadClient("robot");
        using var client = host.CreateMtlsClient(certificate);

        Assert.Equal(HttpStatusCode.OK, (await client.RequestTokenAsync("robot", "api:read")).StatusCode);
    }

    private static async Task OpenSslAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, "openssl " + string.Join(' ', arguments) + ": " + await error);
    }
}
