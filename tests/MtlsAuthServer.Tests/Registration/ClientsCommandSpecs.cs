using System.Net;
using Microsoft.Extensions.DependencyInjection;
using MtlsAuthServer.Registration;
using MtlsAuthServer.Tests.Infrastructure;
using MtlsAuthServer.Tests.Lifecycle;

namespace MtlsAuthServer.Tests.Registration;

/// <summary>
/// <c>MtlsAuthServer clients</c>: an operator adds, lists, shows, rotates and disables clients over the registration
/// service the endpoint uses, against the running server's database; the server honours each change.
/// </summary>
public sealed class ClientsCommandSpecs : IDisposable
{
    private readonly TestPki _pki = TestPki.Create();

    [Fact]
    public async Task An_operator_adds_rotates_and_disables_a_self_signed_client_the_server_honours()
    {
        using var host = TokenServerHost.Start(_pki, s => DynamicRegistration.Enable(s));
        var (first, firstPem) = _pki.CreateSelfSigned("CN=cli partner 1", "cli-1.crt");
        var (next, nextPem) = _pki.CreateSelfSigned("CN=cli partner 2", "cli-2.crt");
        using var withFirst = host.CreateMtlsClient(first);
        using var withNext = host.CreateMtlsClient(next);

        var added = await RunAsync(host, "add", "--client-id", "cli-partner", "--auth-method", "self_signed_tls_client_auth", "--cert", firstPem, "--scope", "api:write");
        Assert.Equal(0, added.ExitCode);
        Assert.Contains("registration_access_token", added.Output, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await withFirst.RequestTokenAsync("cli-partner", "api:write")).StatusCode); // an operator may give any defined scope

        Assert.Equal(0, (await RunAsync(host, "rotate-cert", "--client-id", "cli-partner", "--add", nextPem)).ExitCode);
        Assert.Equal(HttpStatusCode.OK, (await withNext.RequestTokenAsync("cli-partner", "api:write")).StatusCode);
        Assert.Equal(0, (await RunAsync(host, "rotate-cert", "--client-id", "cli-partner", "--remove", firstPem)).ExitCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await withFirst.RequestTokenAsync("cli-partner", "api:write")).StatusCode);
        Assert.Contains("\"jwks\"", (await RunAsync(host, "show", "--client-id", "cli-partner")).Output, StringComparison.Ordinal);

        Assert.Equal(0, (await RunAsync(host, "disable", "--client-id", "cli-partner")).ExitCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await withNext.RequestTokenAsync("cli-partner", "api:write")).StatusCode);
        Assert.Contains("cli-partner", (await RunAsync(host, "list")).Output, StringComparison.Ordinal);
        Assert.Contains(host.Logs.WithEventId(4902), e => e["ClientId"] == "cli-partner" && e["Via"] == "cli");
        first.Dispose();
        next.Dispose();
    }

    [Fact]
    public async Task Refusals_exit_2_with_the_reason_and_a_configured_client_is_not_the_commands()
    {
        using var host = TokenServerHost.Start(_pki, s => DynamicRegistration.Enable(s));

        var twoIdentities = await RunAsync(host, "add", "--auth-method", "tls_client_auth", "--san-dns", "a.example.com", "--subject-dn", "CN=a");
        var configured = await RunAsync(host, "disable", "--client-id", "sample-resource-api");

        Assert.Equal(2, twoIdentities.ExitCode);
        Assert.Contains("exactly one of", twoIdentities.Output, StringComparison.Ordinal);
        Assert.Equal(2, configured.ExitCode);
        Assert.Contains("configured clients are changed in configuration", configured.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_command_runs_as_its_own_process_with_the_servers_configuration()
    {
        using var host = TokenServerHost.Start(_pki, s => DynamicRegistration.Enable(s));
        Assert.Equal(0, (await RunAsync(host, "add", "--client-id", "process-partner", "--auth-method", "tls_client_auth", "--san-dns", "p.example.com")).ExitCode);

        var listed = await DiagnoseRun.CommandProcessAsync(host, ClientsCommand.Verb, "list");

        Assert.True(listed.ExitCode == 0, listed.Output);
        Assert.Contains("process-partner", listed.Output, StringComparison.Ordinal);
    }

    private static async Task<DiagnoseRun> RunAsync(TokenServerHost host, params string[] arguments)
    {
        Assert.True(ClientsArguments.TryParse(arguments, out var parsed, out var error), error);
        await using var scope = host.Services.CreateAsyncScope();
        using var output = new StringWriter();
        var exitCode = await ClientsCommand.RunAsync(scope.ServiceProvider, parsed, output, CancellationToken.None);
        return new DiagnoseRun(exitCode, output.ToString());
    }

    public void Dispose() => _pki.Dispose();
}
