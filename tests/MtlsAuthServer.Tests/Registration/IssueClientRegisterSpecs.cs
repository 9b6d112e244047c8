using System.Net;
using System.Text.Json;
using MtlsAuthServer.Tests.Infrastructure;
using MtlsAuthServer.Tests.Lifecycle;

namespace MtlsAuthServer.Tests.Registration;

/// <summary><c>mtls-pki issue-client --register</c>: the certificate and its registration in one step, over the server's RFC 7591 endpoint.</summary>
public sealed class IssueClientRegisterSpecs
{
    [Fact]
    public async Task The_issued_certificate_is_registered_and_gets_a_token()
    {
        using var pki = await ToolPki.InitAsync();
        using var host = pki.StartServer(settings => DynamicRegistration.Enable(settings));
        var tokenFile = Path.Combine(pki.Folder, "initial-access-token");
        await File.WriteAllTextAsync(tokenFile, DynamicRegistration.InitialAccessToken + "\n");

        var run = await pki.RunAsync("issue-client", "--name", "onboarded", "--subject", "CN=onboarded,O=Lifecycle Test", "--scope", "api:read",
            "--register", new Uri(host.MtlsUri, "register").AbsoluteUri, "--initial-access-token-file", tokenFile);

        var saved = Path.ChangeExtension(pki.Layout.ClientCertificate("onboarded"), ".registration.json");
        var registration = JsonDocument.Parse(await File.ReadAllTextAsync(saved)).RootElement;
        var clientId = registration.GetProperty("client_id").GetString()!;
        Assert.Contains($"client_id {clientId}", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(registration.GetProperty("registration_access_token").GetString()!, run.Output, StringComparison.Ordinal);
        Assert.Equal("CN=onboarded,O=Lifecycle Test", registration.GetProperty("tls_client_auth_subject_dn").GetString());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(saved));
        }

        using var certificate = pki.LoadClient("onboarded");
        using var client = host.CreateMtlsClient(certificate);
        Assert.Equal(HttpStatusCode.OK, (await client.RequestTokenAsync(clientId, "api:read")).StatusCode);
    }

    [Fact]
    public async Task A_refused_registration_is_one_line_and_exit_code_1()
    {
        using var pki = await ToolPki.InitAsync();
        using var host = pki.StartServer(settings => DynamicRegistration.Enable(settings));
        var tokenFile = Path.Combine(pki.Folder, "wrong-token");
        await File.WriteAllTextAsync(tokenFile, "not-the-token");

        var run = await PkiToolRun.RunAsync("issue-client", "--name", "refused", "--subject", "CN=refused,O=Lifecycle Test",
            "--register", new Uri(host.MtlsUri, "register").AbsoluteUri, "--initial-access-token-file", tokenFile, "--pki", pki.Folder);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("401 invalid_token", run.Error, StringComparison.Ordinal);
    }
}
