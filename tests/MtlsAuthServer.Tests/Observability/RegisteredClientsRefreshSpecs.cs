using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using MtlsAuthServer.Data;
using MtlsAuthServer.Monitoring;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Observability;

/// <summary>
/// Readiness reports the registered clients' certificates from a snapshot read at most once per
/// <c>Monitoring:RegisteredClientsRefreshInterval</c>: a probe every few seconds must not read thousands of clients
/// each time, and a change made in the database by someone else still shows within the interval.
/// </summary>
public sealed class RegisteredClientsRefreshSpecs
{
    [Fact]
    public async Task A_client_disabled_in_the_database_leaves_the_report_once_the_interval_has_passed()
    {
        using var server = KnownDatesServer.Create(settings => settings["Monitoring:RegisteredClientsRefreshInterval"] = "00:01:00");
        Assert.Contains("robot", await ReportedClientsAsync(server));

        DisableInDatabase(server.Host, "robot");
        Assert.Contains("robot", await ReportedClientsAsync(server));
        server.Clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Contains("robot", await ReportedClientsAsync(server));

        server.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.DoesNotContain("robot", await ReportedClientsAsync(server));
    }

    [Fact]
    public async Task With_an_interval_of_zero_every_check_reads_the_clients()
    {
        using var server = KnownDatesServer.Create(settings => settings["Monitoring:RegisteredClientsRefreshInterval"] = "00:00:00");
        Assert.Contains("robot", await ReportedClientsAsync(server));

        DisableInDatabase(server.Host, "robot");

        Assert.DoesNotContain("robot", await ReportedClientsAsync(server));
    }

    [Fact]
    public async Task A_clock_that_went_back_makes_the_snapshot_stale()
    {
        using var server = KnownDatesServer.Create();
        var clock = new AdjustableTimeProvider();
        var inventory = new RegisteredClientCertificates(
            server.Host.Services.GetRequiredService<IServiceScopeFactory>(), server.Host.Services.GetRequiredService<StoreReadiness>(), clock);
        await inventory.RefreshAsync(CancellationToken.None);
        DisableInDatabase(server.Host, "robot");

        await inventory.RefreshIfOlderThanAsync(TimeSpan.FromHours(1), CancellationToken.None);
        Assert.Contains(inventory.Current, item => item.ClientId == "robot");

        using (clock.Shift(TimeSpan.FromMinutes(-1)))
        {
            await inventory.RefreshIfOlderThanAsync(TimeSpan.FromHours(1), CancellationToken.None);
        }

        Assert.DoesNotContain(inventory.Current, item => item.ClientId == "robot");
    }

    private static async Task<List<string?>> ReportedClientsAsync(KnownDatesServer server)
    {
        using var client = new HttpClient { BaseAddress = server.Host.ManagementUri, Timeout = TimeSpan.FromSeconds(30) };
        var report = await client.GetFromJsonAsync<JsonElement>("health/ready");
        return [.. report.GetProperty("checks").GetProperty("expiry").GetProperty("data").GetProperty("entries").EnumerateArray()
            .Where(entry => entry.GetProperty("kind").GetString() == "client_certificate")
            .Select(entry => entry.GetProperty("client_id").GetString())];
    }

    private static void DisableInDatabase(TokenServerHost host, string clientId)
    {
        using var connection = new SqliteConnection(host.Configuration["Database:ConnectionString"]);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE OpenIddictApplications SET Settings = json_set(Settings, '$.mtls_disabled', 'true') WHERE ClientId = $id";
        command.Parameters.AddWithValue("$id", clientId);
        Assert.Equal(1, command.ExecuteNonQuery());
    }
}
