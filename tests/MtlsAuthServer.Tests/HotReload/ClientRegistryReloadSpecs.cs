using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MtlsAuthServer.Pki;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.HotReload;

/// <summary>
/// Registered self-signed certificates and clients changing while the server runs: through the PEM files named
/// in <c>certificates</c>, and through a reloadable JSON configuration file (as appsettings.json is).
/// </summary>
public sealed class ClientRegistryReloadSpecs : IDisposable
{
    private const string Material = "client_registry";
    private readonly TestPki _pki = TestPki.Create();
    private readonly List<X509Certificate2> _certificates = [];

    [Fact]
    public async Task A_certificate_added_to_the_registered_pem_file_is_accepted_and_a_removed_one_refused_without_restart()
    {
        var (current, path) = SelfSigned("robot-current.crt");
        var (next, _) = SelfSigned("robot-next.crt");
        using var host = TokenServerHost.Start(_pki, settings => Watch(settings).AddSelfSignedClient("robot", path));
        await OAuth.AssertRejectedAsync(await RequestAsync(host, next, "robot"), host.Logs, "self_signed_not_registered", next);

        // Rotation, step 1: both certificates registered (the overlap).
        PemFiles.WriteCertificates(path, current, next);
        await ReloadEvents.LoggedAsync(host.Logs, 4300, Material, 1);
        Assert.Equal(HttpStatusCode.OK, (await RequestAsync(host, next, "robot")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await RequestAsync(host, current, "robot")).StatusCode);

        // Step 2: the old one removed.
        PemFiles.WriteCertificates(path, next);
        await ReloadEvents.LoggedAsync(host.Logs, 4300, Material, 2);
        Assert.Equal(HttpStatusCode.OK, (await RequestAsync(host, next, "robot")).StatusCode);
        await OAuth.AssertRejectedAsync(await RequestAsync(host, current, "robot"), host.Logs, "self_signed_not_registered", current);
    }

    [Fact]
    public async Task A_client_added_to_configuration_is_accepted_and_disabled_once_removed_without_restart()
    {
        var (robot, robotPath) = SelfSigned("robot.crt");
        var (drone, dronePath) = SelfSigned("drone.crt");
        var configuration = Path.Combine(_pki.Folder, "clients.json");
        WriteClients(configuration, ("robot", robotPath));
        using var host = TokenServerHost.Start(_pki, settings => Watch(settings).JsonFiles.Add(configuration));
        Assert.Equal(HttpStatusCode.OK, (await RequestAsync(host, robot, "robot")).StatusCode);
        await OAuth.AssertRejectedAsync(await RequestAsync(host, drone, "drone"), host.Logs, "unknown_client", drone);

        WriteClients(configuration, ("robot", robotPath), ("drone", dronePath));
        await ReloadEvents.LoggedAsync(host.Logs, 4300, Material, 1);
        Assert.Equal(HttpStatusCode.OK, (await RequestAsync(host, drone, "drone")).StatusCode);

        WriteClients(configuration, ("robot", robotPath));
        await ReloadEvents.LoggedAsync(host.Logs, 4300, Material, 2);
        using var refused = await RequestAsync(host, drone, "drone");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("invalid_client", await refused.ErrorAsync());
        Assert.Contains(host.Logs.Rejections, e => e["ClientId"] == "drone" && e["Reason"] == "client_disabled");
        Assert.Equal(HttpStatusCode.OK, (await RequestAsync(host, robot, "robot")).StatusCode);
    }

    [Fact]
    public async Task An_invalid_registry_change_is_rejected_with_an_error_and_the_previous_registrations_stay()
    {
        var (robot, robotPath) = SelfSigned("robot.crt");
        var configuration = Path.Combine(_pki.Folder, "clients.json");
        WriteClients(configuration, ("robot", robotPath));
        using var host = TokenServerHost.Start(_pki, settings => Watch(settings).JsonFiles.Add(configuration));

        WriteClients(configuration, ("robot", Path.Combine(_pki.Folder, "missing.crt")));

        var rejected = Assert.Single(await ReloadEvents.LoggedAsync(host.Logs, 4301, Material, 1));
        Assert.Contains("Clients:0", rejected["Reason"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await RequestAsync(host, robot, "robot")).StatusCode);
    }

    public void Dispose()
    {
        foreach (var certificate in _certificates)
        {
            certificate.Dispose();
        }

        _pki.Dispose();
    }

    private static TokenServerSettings Watch(TokenServerSettings settings)
    {
        settings["HotReload:PollInterval"] = "00:00:00.100";
        settings[ReloadEvents.LogReloadsKey] = "Information";
        return settings;
    }

    private static async Task<HttpResponseMessage> RequestAsync(TokenServerHost host, X509Certificate2 certificate, string clientId)
    {
        using var client = host.CreateMtlsClient(certificate);
        return await client.RequestTokenAsync(clientId);
    }

    private (X509Certificate2 Certificate, string Path) SelfSigned(string fileName)
    {
        var created = _pki.CreateSelfSigned("CN=" + Path.GetFileNameWithoutExtension(fileName), fileName);
        _certificates.Add(created.Certificate);
        return created;
    }

    /// <summary>Writes a configuration file holding exactly these self-signed clients.</summary>
    private static void WriteClients(string path, params (string ClientId, string CertificatePath)[] clients)
    {
        var json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["Clients"] = clients.Select(c => new Dictionary<string, object>
            {
                ["client_id"] = c.ClientId,
                ["token_endpoint_auth_method"] = "self_signed_tls_client_auth",
                ["scope"] = "api:read",
                ["certificates"] = new[] { c.CertificatePath },
            }).ToArray(),
        });
        PemFiles.WritePublic(path, json);
    }
}
