using MtlsAuthServer.Pki;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Lifecycle;

/// <summary>A token server over a tool-made PKI, and certificate files of every kind for <c>diagnose</c> to judge.</summary>
public sealed class DiagnoseServer : IAsyncLifetime
{
    public ToolPki Pki { get; private set; } = null!;

    public TokenServerHost Host { get; private set; } = null!;

    public string Payments => Pki.Layout.ClientCertificate("payments");

    public async Task InitializeAsync()
    {
        Pki = await ToolPki.InitAsync();
        await Pki.RunAsync("issue-client", "--name", "payments", "--subject", "CN=payments,O=Lifecycle Test");
        await Pki.RunAsync("issue-client", "--name", "stolen", "--subject", "CN=stolen,O=Lifecycle Test");
        await Pki.RunAsync("revoke", "--cert", Pki.Layout.ClientCertificate("stolen"), "--reason", "key-compromise");
        await Pki.RunAsync("self-signed", "--name", "robot");
        await Pki.RunAsync("self-signed", "--name", "intruder", "--subject", "CN=robot");
        var robot = ToolOutput.RegistrationJson(await PkiToolRun.SucceedAsync("rotate", "--cert", Pki.Layout.ClientCertificate("robot"), "--name", "robot-next", "--pki", Pki.Folder));
        Host = Pki.StartServer(settings =>
        {
            settings.AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Lifecycle Test")
                .AddTlsClient("stolen", "tls_client_auth_subject_dn", "CN=stolen,O=Lifecycle Test")
                .AddTlsClient("billing", "tls_client_auth_subject_dn", "CN=billing,O=Lifecycle Test");
            ToolOutput.AddClient(settings, 3, robot);
        });

        // One real token request first: the server's own CRL fetch and its management endpoint are warm for every case.
        using var certificate = Pki.LoadClient("payments");
        using var client = Host.CreateMtlsClient(certificate);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.RequestTokenAsync("payments")).StatusCode);
    }

    /// <summary>Writes a certificate minted with the tool's CAs (for kinds the tool refuses to make) and returns its path.</summary>
    public string Mint(string name, Func<CertificateProfile, CertificateProfile> adjust)
    {
        using var certificate = Pki.Pki.IssueClient("CN=payments,O=Lifecycle Test", adjust);
        var path = Path.Combine(Pki.Folder, name + ".crt");
        PemFiles.WriteCertificates(path, certificate, Pki.Pki.Issuing.Certificate);
        return path;
    }

    public Task DisposeAsync()
    {
        Host.Dispose();
        Pki.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// <c>diagnose</c> against a running server's services: each check printed PASS/FAIL with the reason code the
/// server logs, exit code 0 when all pass and 2 when one fails. (<see cref="DiagnoseCommandSpecs"/> runs the real command.)
/// </summary>
public sealed class DiagnoseSpecs(DiagnoseServer server) : IClassFixture<DiagnoseServer>
{
    [Fact]
    public async Task A_good_certificate_passes_every_check_with_exit_code_0()
    {
        var result = await DiagnoseRun.InProcessAsync(server.Host, "--cert", server.Payments, "--client-id", "payments");

        Assert.True(result.ExitCode == 0, result.Output);
        foreach (var check in new[] { "client", "chain", "validity", "usage", "revocation", "identity" })
        {
            Assert.StartsWith("PASS", result.Check(check), StringComparison.Ordinal);
        }

        Assert.Contains("Result: PASS", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_from_another_ca_fails_the_chain_check_as_chain_untrusted()
    {
        using var other = await ToolPki.InitAsync();
        await other.RunAsync("issue-client", "--name", "payments", "--subject", "CN=payments,O=Lifecycle Test");

        var result = await DiagnoseRun.InProcessAsync(server.Host, "--cert", other.Layout.ClientCertificate("payments"), "--client-id", "payments");

        AssertFailure(result, "chain", "chain_untrusted");
        Assert.StartsWith("SKIP", result.Check("revocation"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_certificate_fails_the_validity_check_as_certificate_expired()
    {
        var path = server.Mint("expired", p => p with { NotBefore = TestPki.Now.AddDays(-10), NotAfter = TestPki.Now.AddHours(-1) });

        var result = await DiagnoseRun.InProcessAsync(server.Host, "--cert", path, "--client-id", "payments");

        AssertFailure(result, "validity", "certificate_expired");
        Assert.StartsWith("PASS", result.Check("identity"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ca_certificate_fails_the_usage_check_as_not_end_entity()
    {
        var path = server.Mint("ca-flag", p => p with { MarkAsCertificateAuthority = true });

        var result = await DiagnoseRun.InProcessAsync(server.Host, "--cert", path, "--client-id", "payments");

        AssertFailure(result, "usage", "not_end_entity");
    }

    [Fact]
    public async Task The_server_certificate_fails_as_eku_invalid()
    {
        var result = await DiagnoseRun.InProcessAsync(server.Host, "--cert", server.Pki.Layout.ServerCertificate);

        AssertFailure(result, "chain", "eku_invalid");
        Assert.Contains("eku_invalid: extended key usage lacks clientAuth", result.Check("usage"), StringComparison.Ordinal);
        Assert.StartsWith("SKIP", result.Check("identity"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_certificate_fails_the_revocation_check_as_certificate_revoked()
    {
        var result = await DiagnoseRun.InProcessAsync(server.Host, "--cert", server.Pki.Layout.ClientCertificate("stolen"), "--client-id", "stolen");

        AssertFailure(result, "revocation", "certificate_revoked");
        Assert.Contains(new Uri(server.Pki.ManagementUri, "crl/issuing-ca.crl").AbsoluteUri, result.Check("revocation"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_clients_certificate_fails_the_identity_check_as_identity_mismatch()
    {
        var result = await DiagnoseRun.InProcessAsync(server.Host, "--cert", server.Payments, "--client-id", "billing");

        AssertFailure(result, "identity", "identity_mismatch");
        Assert.Contains("CN=billing,O=Lifecycle Test", result.Check("identity"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unregistered_self_signed_certificate_fails_as_self_signed_not_registered()
    {
        var result = await DiagnoseRun.InProcessAsync(server.Host, "--cert", server.Pki.Layout.ClientCertificate("intruder"), "--client-id", "robot");

        AssertFailure(result, "registration", "self_signed_not_registered");
    }

    [Fact]
    public async Task A_registered_self_signed_certificate_is_found_without_a_client_id()
    {
        var result = await DiagnoseRun.InProcessAsync(server.Host, "--cert", server.Pki.Layout.ClientCertificate("robot-next"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("registered for client 'robot'", result.Check("client"), StringComparison.Ordinal);
        Assert.StartsWith("PASS", result.Check("registration"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_client_id_fails_as_unknown_client()
    {
        var result = await DiagnoseRun.InProcessAsync(server.Host, "--cert", server.Payments, "--client-id", "nobody");

        AssertFailure(result, "client", "unknown_client");
    }

    /// <summary>Exit code 2, the check printed as FAIL with the reason code, and that reason as the result (the first failure, as the server logs).</summary>
    internal static void AssertFailure(DiagnoseRun result, string check, string reason)
    {
        Assert.True(result.ExitCode == 2, $"exit code {result.ExitCode}:\n{result.Output}");
        Assert.StartsWith($"FAIL  {check,-12} {reason}: ", result.Check(check), StringComparison.Ordinal);
        Assert.Contains($"Result: FAIL {reason} ", result.Output, StringComparison.Ordinal);
    }
}
