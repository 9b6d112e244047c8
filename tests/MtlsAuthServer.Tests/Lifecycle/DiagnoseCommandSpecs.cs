namespace MtlsAuthServer.Tests.Lifecycle;

/// <summary>
/// The real command: <c>MtlsAuthServer diagnose</c> as a process, building the server from the same
/// configuration as the running host (nothing listens), its output and exit code.
/// </summary>
public sealed class DiagnoseCommandSpecs(DiagnoseServer server) : IClassFixture<DiagnoseServer>
{
    [Fact]
    public async Task The_command_passes_a_good_certificate_and_fails_a_revoked_one_with_the_logged_reason()
    {
        // Two processes at once: each pays the server's start-up cost.
        var good = DiagnoseRun.ProcessAsync(server.Host, "--cert", server.Payments, "--client-id", "payments");
        var revoked = DiagnoseRun.ProcessAsync(server.Host, "--cert", server.Pki.Layout.ClientCertificate("stolen"), "--client-id", "stolen");

        var passed = await good;
        Assert.True(passed.ExitCode == 0, passed.Output);
        Assert.StartsWith("PASS", passed.Check("revocation"), StringComparison.Ordinal);
        Assert.Contains("Result: PASS", passed.Output, StringComparison.Ordinal);
        DiagnoseSpecs.AssertFailure(await revoked, "revocation", "certificate_revoked");
    }

    [Fact]
    public async Task The_command_explains_its_usage_and_exits_1_without_a_certificate()
    {
        var result = await DiagnoseRun.ProcessAsync(server.Host, "--client-id", "payments");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--cert is required", result.Output, StringComparison.Ordinal);
    }
}
