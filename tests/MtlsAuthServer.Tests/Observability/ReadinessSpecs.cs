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
    public async Task An_expired_registered_client_certificate_makes_readiness_degraded_not_unhealthy()
    {
        // A second self-signed client whose only certificate lapsed yesterday; everything else is far from expiry.
        var folder = Directory.CreateTempSubdirectory("mtls-lapsed-").FullName;
        using var lapsed = Pki.SelfSignedCertificate.Create(Pki.CertificateProfile.ForClient(
            "CN=lapsed", DateTimeOffset.UtcNow.AddDays(-20), DateTimeOffset.UtcNow.AddDays(-1)));
        var lapsedPath = Path.Combine(folder, "lapsed.crt");
        Pki.PemFiles.WriteCertificates(lapsedPath, lapsed);
        using var server = KnownDatesServer.Create(settings =>
        {
            settings["Monitoring:ExpiryWarningWindow"] = "1.00:00:00";
            settings.AddSelfSignedClient("lapsed", lapsedPath);
        });

        var (status, report) = await ReadyAsync(server);

        // One client's lapsed certificate is that client's problem: the instance stays in the load balancer.
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Degraded", report.GetProperty("checks").GetProperty("expiry").GetProperty("status").GetString());
        var entry = Entries(report).Single(e => e.GetProperty("client_id").GetString() == "lapsed");
        Assert.Equal("Degraded", entry.GetProperty("status").GetString());
        Assert.True(entry.GetProperty("seconds_remaining").GetDouble() < 0);
        Assert.Equal("Healthy", Entry(Entries(report), "server_certificate").GetProperty("status").GetString());
        Directory.Delete(folder, recursive: true);
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

    [Fact]
    public async Task The_report_lists_the_most_urgent_entries_up_to_its_limit_and_counts_the_rest()
    {
        using var server = KnownDatesServer.Create(settings => settings["Monitoring:ReadinessReportEntries"] = "2");

        var (status, report) = await ReadyAsync(server);

        // Six items: the server certificate in its window (10 days), the CRLs (3 and 7 days, fine with a 1-hour window),
        // the anchor, the intermediate and robot's certificate. Urgency first, then time left: the CRL expiring soonest
        // comes after the certificate in its window.
        Assert.Equal(HttpStatusCode.OK, status);
        var expiry = report.GetProperty("checks").GetProperty("expiry");
        Assert.Equal("Degraded", expiry.GetProperty("status").GetString());
        Assert.Equal(6, expiry.GetProperty("data").GetProperty("monitored").GetInt32());
        Assert.Equal(4, expiry.GetProperty("data").GetProperty("omitted").GetInt32());
        Assert.Equal([server.ServerThumbprint, server.IssuingCrlPath], Entries(report).Select(e => e.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Expired_material_left_out_of_the_list_still_decides_the_status()
    {
        using var server = KnownDatesServer.Create(settings => settings["Monitoring:ReadinessReportEntries"] = "1");
        server.Clock.Advance(TimeSpan.FromDays(11));

        var (status, report) = await ReadyAsync(server);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var expiry = report.GetProperty("checks").GetProperty("expiry");
        Assert.StartsWith("3 expired", expiry.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(server.IssuingCrlPath, Assert.Single(Entries(report)).GetProperty("id").GetString()); // 8 days past; the root CRL 4, the server certificate 1
        Assert.Equal(5, expiry.GetProperty("data").GetProperty("omitted").GetInt32());
    }

    [Fact]
    public async Task By_default_the_report_lists_every_entry_of_a_small_server()
    {
        using var server = KnownDatesServer.Create();

        var (_, report) = await ReadyAsync(server);

        Assert.Equal(6, Entries(report).Count);
        Assert.Equal(0, report.GetProperty("checks").GetProperty("expiry").GetProperty("data").GetProperty("omitted").GetInt32());
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
}
