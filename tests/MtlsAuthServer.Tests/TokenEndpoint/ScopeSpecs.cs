using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MtlsAuthServer.Clients;
using MtlsAuthServer.Pki;
using MtlsAuthServer.Tests.HotReload;
using MtlsAuthServer.Tests.Infrastructure;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MtlsAuthServer.Tests.TokenEndpoint;

/// <summary>
/// The <c>scope</c> parameter of a token request (RFC 6749 §3.3, §4.4.2): a registered scope the client may use is
/// granted with its resources as audiences; an unregistered one is refused with <c>invalid_scope</c> (§5.2); one the
/// client is not permitted is refused. The registered scopes come from a snapshot (no store query per request), so
/// these specs also pin that changes reach it: by hot reload, and by another instance writing the shared store.
/// </summary>
public sealed class ScopeSpecs : IDisposable
{
    private const string Material = "client_registry";
    private static readonly string[] SampleApi = ["sample-resource-api"];
    private static readonly string[] ReportingApi = ["reporting-api"];
    private readonly TestPki _pki = TestPki.Create();
    private readonly List<X509Certificate2> _certificates = [];

    [Fact]
    public async Task A_known_permitted_scope_is_granted_with_the_resources_of_that_scope_as_audience()
    {
        using var host = TokenServerHost.Start(_pki, s => s.AddScope("reports:read", "reporting-api")
            .AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org", "api:read reports:read"));
        using var client = Client(host, "CN=payments, O=Test Org");

        var reports = OAuth.DecodePayload(await client.GetAccessTokenAsync("payments", "reports:read"));
        var api = OAuth.DecodePayload(await client.GetAccessTokenAsync("payments", "api:read"));

        Assert.Equal("reports:read", reports.GetProperty("scope").GetString());
        Assert.Equal("reporting-api", reports.GetProperty("aud").GetString());
        Assert.Equal("api:read", api.GetProperty("scope").GetString());
        Assert.Equal("sample-resource-api", api.GetProperty("aud").GetString());
    }

    [Theory]
    [InlineData("billing:admin")]
    [InlineData("api:read billing:admin")] // one unknown name spoils the request, even next to a known one
    public async Task An_unregistered_scope_is_refused_with_invalid_scope(string scope)
    {
        using var host = TokenServerHost.Start(_pki, s =>
        {
            s["Serilog:MinimumLevel:Override:MtlsAuthServer.Tokens.ValidateRegisteredScopes"] = "Information";
            s.AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org", "api:read");
        });
        using var client = Client(host, "CN=payments, O=Test Org");
        Assert.Equal(HttpStatusCode.OK, (await client.RequestTokenAsync("payments", "api:read")).StatusCode); // snapshot taken

        using var refused = await client.RequestTokenAsync("payments", scope);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(Errors.InvalidScope, await refused.ErrorAsync());
        Assert.Contains(host.Logs.WithEventId(6080), e => e["Scopes"] == "billing:admin");
    }

    [Fact]
    public async Task A_registered_scope_the_client_is_not_permitted_is_refused()
    {
        using var host = TokenServerHost.Start(_pki, s => s.AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org", "api:read"));
        using var client = Client(host, "CN=payments, O=Test Org");

        using var refused = await client.RequestTokenAsync("payments", "api:write");

        // OpenIddict's ValidateScopePermissions answers invalid_request (ID2051) for a scope outside the client's permissions.
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(Errors.InvalidRequest, await refused.ErrorAsync());
    }

    [Fact]
    public async Task A_scope_added_by_hot_reload_is_granted_at_once_and_refused_again_once_the_client_loses_it()
    {
        var (robot, robotPath) = SelfSigned("robot.crt");
        var configuration = Path.Combine(_pki.Folder, "clients.json");
        WriteRegistry(configuration, robotPath, withReports: false);
        using var host = TokenServerHost.Start(_pki, settings =>
        {
            settings["HotReload:PollInterval"] = "00:00:00.100";
            settings[ReloadEvents.LogReloadsKey] = "Information";
            settings.JsonFiles.Add(configuration);
        });
        using var client = host.CreateMtlsClient(robot);
        Assert.Equal(HttpStatusCode.OK, (await client.RequestTokenAsync("robot", "api:read")).StatusCode); // snapshot taken
        using (var unknown = await client.RequestTokenAsync("robot", "reports:read"))
        {
            Assert.Equal(Errors.InvalidScope, await unknown.ErrorAsync());
        }

        WriteRegistry(configuration, robotPath, withReports: true);
        await ReloadEvents.LoggedAsync(host.Logs, 4300, Material, 1);
        var granted = OAuth.DecodePayload(await client.GetAccessTokenAsync("robot", "reports:read"));
        Assert.Equal("reporting-api", granted.GetProperty("aud").GetString());

        WriteRegistry(configuration, robotPath, withReports: false);
        await ReloadEvents.LoggedAsync(host.Logs, 4300, Material, 2);
        using var refused = await client.RequestTokenAsync("robot", "reports:read");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(Errors.InvalidRequest, await refused.ErrorAsync()); // still registered, no longer permitted
    }

    [Fact]
    public async Task A_scope_another_instance_registered_in_the_shared_store_is_granted_before_the_snapshot_expires()
    {
        using var host = TokenServerHost.Start(_pki, s => s.AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org", "api:read"));
        using var client = Client(host, "CN=payments, O=Test Org");
        Assert.Equal(HttpStatusCode.OK, (await client.RequestTokenAsync("payments", "api:read")).StatusCode); // snapshot taken

        // What another instance's synchronization leaves in the shared database: this instance is not told.
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var scopes = scope.ServiceProvider.GetRequiredService<IOpenIddictScopeManager>();
            var descriptor = new OpenIddictScopeDescriptor { Name = "reports:read" };
            descriptor.Resources.Add("reporting-api");
            await scopes.CreateAsync(descriptor);
            var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            var payments = await applications.FindByClientIdAsync("payments") ?? throw new InvalidOperationException("no client");
            var changed = new OpenIddictApplicationDescriptor();
            await applications.PopulateAsync(changed, payments);
            changed.Permissions.Add(Permissions.Prefixes.Scope + "reports:read");
            await applications.UpdateAsync(payments, changed);
        }

        host.Services.GetRequiredService<RegisteredClientSnapshots>().Clear(); // the client snapshot's own bound (10 s) has passed

        var granted = OAuth.DecodePayload(await client.GetAccessTokenAsync("payments", "reports:read"));
        Assert.Equal("reports:read", granted.GetProperty("scope").GetString());
        Assert.Equal("reporting-api", granted.GetProperty("aud").GetString());
    }

    public void Dispose()
    {
        foreach (var certificate in _certificates)
        {
            certificate.Dispose();
        }

        _pki.Dispose();
    }

    private HttpClient Client(TokenServerHost host, string subject)
    {
        var certificate = _pki.IssueClient(subject);
        _certificates.Add(certificate);
        return host.CreateMtlsClient(certificate);
    }

    private (X509Certificate2 Certificate, string Path) SelfSigned(string fileName)
    {
        var created = _pki.CreateSelfSigned("CN=" + Path.GetFileNameWithoutExtension(fileName), fileName);
        _certificates.Add(created.Certificate);
        return created;
    }

    /// <summary>The host's two default scopes (same indexes, so the file overrides nothing), optionally a third, and one client.</summary>
    private static void WriteRegistry(string path, string certificatePath, bool withReports)
    {
        var scopes = new List<object>
        {
            new Dictionary<string, object> { ["Name"] = "api:read", ["Resources"] = SampleApi },
            new Dictionary<string, object> { ["Name"] = "api:write", ["Resources"] = SampleApi },
        };
        if (withReports)
        {
            scopes.Add(new Dictionary<string, object> { ["Name"] = "reports:read", ["Resources"] = ReportingApi });
        }

        var json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["Scopes"] = scopes,
            ["Clients"] = new[]
            {
                new Dictionary<string, object>
                {
                    ["client_id"] = "robot",
                    ["token_endpoint_auth_method"] = "self_signed_tls_client_auth",
                    ["scope"] = withReports ? "api:read reports:read" : "api:read",
                    ["certificates"] = new[] { certificatePath },
                },
            },
        });
        PemFiles.WritePublic(path, json);
    }
}
