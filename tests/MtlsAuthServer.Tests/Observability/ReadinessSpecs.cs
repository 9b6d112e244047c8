using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MtlsAuthServer.Tests.Observability;

/// <summary><c>/health/ready</c>: a JSON report whose expiry check turns Degraded, then Unhealthy, as material runs out.</summary>
public sealed class ReadinessSpecs
{
    [Fact]
    public async Task Material_expiring_within_the_warning_window_makes_readiness_degraded_and_lists_each_entry()
    {
        using var server = KnownDatesServer.Create();

        var (status, report) = await ReadyAsync(server);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Degraded", report.GetProperty("status").GetString());
        Assert.Equal("Healthy", report.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        var entries = Entries(report);
        Assert.Equal("Degraded", Entry(entries, "server_certificate").GetProperty("status").GetString());
        Assert.Equal(server.ServerThumbprint, Entry(entries, "server_certificate").GetProperty("id").GetString());
        Assert.Equal("Healthy", Entry(entries, "trust_anchor").GetProperty("status").GetString());
        Assert.Equal("Healthy", Entry(entries, "intermediate").GetProperty("status").GetString());
        Assert.Equal("Healthy", Entry(entries, "client_certificate").GetProperty("status").GetString());
        Assert.Equal(2, entries.Count(e => e.GetProperty("kind").GetString() == "crl" && e.GetProperty("status").GetString() == "Healthy"));
        Assert.Equal(KnownDatesServer.ServerLifetime.TotalSeconds, Entry(entries, "server_certificate").GetProperty("seconds_remaining").GetDouble(), 0.001);
    }

    [Fact]
    public async Task Expired_material_makes_readiness_unhealthy()
    {
        using var server = KnownDatesServer.Create();
        server.Clock.Advance(TimeSpan.FromDays(11));

        var (status, report) = await ReadyAsync(server);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", report.GetProperty("status").GetString());
        var entries = Entries(report);
        Assert.Equal("Unhealthy", Entry(entries, "server_certificate").GetProperty("status").GetString());
        Assert.Equal("Unhealthy", entries.Single(e => e.GetProperty("id").GetString() == server.IssuingCrlPath).GetProperty("status").GetString());
        Assert.Equal("Healthy", Entry(entries, "client_certificate").GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_expired_self_signed_client_certificate_makes_readiness_unhealthy()
    {
        using var server = KnownDatesServer.Create(settings => settings["Monitoring:ExpiryWarningWindow"] = "1.00:00:00");
        await RewriteCrlsAsync(server);
        server.Clock.Advance(TimeSpan.FromDays(46));

        var (status, report) = await ReadyAsync(server);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var robot = Entry(Entries(report), "client_certificate");
        Assert.Equal("Unhealthy", robot.GetProperty("status").GetString());
        Assert.Equal("robot", robot.GetProperty("client_id").GetString());
    }

    [Fact]
    public async Task The_warning_window_is_configurable()
    {
        using var server = KnownDatesServer.Create(settings => settings["Monitoring:ExpiryWarningWindow"] = "5.00:00:00");

        var (status, report) = await ReadyAsync(server);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        Assert.All(Entries(report), e => Assert.Equal("Healthy", e.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_crl_close_to_its_next_update_makes_readiness_degraded()
    {
        using var server = KnownDatesServer.Create(settings => settings["Monitoring:ExpiryWarningWindow"] = "5.00:00:00");
        server.Clock.Advance(KnownDatesServer.IssuingCrlLifetime - TimeSpan.FromMinutes(30));

        var (status, report) = await ReadyAsync(server);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Degraded", report.GetProperty("status").GetString());
        var entries = Entries(report);
        Assert.Equal("Degraded", entries.Single(e => e.GetProperty("id").GetString() == server.IssuingCrlPath).GetProperty("status").GetString());
        Assert.Equal("Healthy", Entry(entries, "server_certificate").GetProperty("status").GetString());
    }

    private static async Task<(HttpStatusCode Status, JsonElement Report)> ReadyAsync(KnownDatesServer server)
    {
        using var client = new HttpClient { BaseAddress = server.Host.ManagementUri, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await client.GetAsync("health/ready");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static List<JsonElement> Entries(JsonElement report) =>
        [.. report.GetProperty("checks").GetProperty("expiry").GetProperty("data").GetProperty("entries").EnumerateArray()];

    private static JsonElement Entry(List<JsonElement> entries, string kind) => entries.Single(e => e.GetProperty("kind").GetString() == kind);

    /// <summary>Fresh CRLs valid past the advanced clock, so only the client certificate has expired.</summary>
    private static Task RewriteCrlsAsync(KnownDatesServer server)
    {
        var until = server.Start.AddDays(60);
        Pki.PemFiles.WritePublic(server.IssuingCrlPath, server.Pki.Issuing.CreateCrl([], 2, server.Start, until));
        Pki.PemFiles.WritePublic(server.RootCrlPath, server.Pki.Root.CreateCrl([], 2, server.Start, until));
        return Task.CompletedTask;
    }
}
