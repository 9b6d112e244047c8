using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MtlsAuthServer.Data;
using MtlsAuthServer.Monitoring;
using MtlsAuthServer.Pki;
using MtlsAuthServer.Tests.Infrastructure;
using MtlsAuthServer.Tests.Lifecycle;

namespace MtlsAuthServer.Tests.Observability;

/// <summary>
/// The certificates <c>tls_client_auth</c> clients authenticate with are remembered per client (in memory, bounded,
/// and in the shared database at most hourly per certificate) and watched like the server's own material: an expiry
/// gauge per client, Degraded readiness within the warning window (never Unhealthy), a line in <c>diagnose</c>.
/// </summary>
public sealed partial class ClientCertificateSightingSpecs : IDisposable
{
    private const string Gauge = "mtls_auth_certificate_expiry_remaining_seconds";
    private static readonly TimeSpan PartnerLifetime = TimeSpan.FromDays(20);

    private readonly TestPki _pki = TestPki.Create();
    private readonly FakeTimeProvider _clock;
    private readonly X509Certificate2 _partner;
    private readonly string _folder = Directory.CreateTempSubdirectory("mtls-sightings-").FullName;

    public ClientCertificateSightingSpecs()
    {
        var now = DateTimeOffset.UtcNow;
        _clock = new FakeTimeProvider(new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero));
        _partner = _pki.IssueClient("CN=payments,O=Test Org", profile => profile with { NotAfter = _clock.GetUtcNow() + PartnerLifetime });
    }

    [Fact]
    public async Task A_partner_certificate_gets_an_expiry_gauge_and_readiness_entry_once_it_authenticated()
    {
        using var host = Start();
        Assert.DoesNotContain((await PrometheusScrape.FetchAsync(host)).Samples, s => s.Name == Gauge && s["client_id"] == "payments");

        using var payments = host.CreateMtlsClient(_partner);
        await payments.GetAccessTokenAsync("payments", "api:read");

        var gauge = (await PrometheusScrape.FetchAsync(host)).One(Gauge, ("client_id", "payments"));
        Assert.Equal("client_certificate", gauge["kind"]);
        Assert.Equal(OAuth.Thumbprint(_partner), gauge["x5t_s256"]);
        Assert.Equal("CN=payments, O=Test Org", gauge["subject"]);
        Assert.Equal(SecondsUntilExpiry(), gauge.Value, 0.001);
        var (status, entry) = await ReadinessEntryAsync(host, "payments");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", entry.GetProperty("status").GetString());
        Assert.Equal(_clock.GetUtcNow(), entry.GetProperty("last_seen").GetDateTimeOffset());
        var firstSeen = Assert.Single(host.Logs.WithEventId(6100));
        Assert.Equal("payments", firstSeen["ClientId"]);
        Assert.Equal(_partner.SerialNumber, firstSeen["SerialNumber"]);
    }

    [Fact]
    public async Task Within_the_warning_window_readiness_is_degraded_and_after_expiry_it_stays_degraded_not_unhealthy()
    {
        using var host = Start();
        using var payments = host.CreateMtlsClient(_partner);
        await payments.GetAccessTokenAsync("payments", "api:read");

        _clock.Advance(TimeSpan.FromDays(15)); // 5 days left, inside the 10-day window
        var (status, entry) = await ReadinessEntryAsync(host, "payments");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Degraded", entry.GetProperty("status").GetString());
        Assert.Equal(SecondsUntilExpiry(), entry.GetProperty("seconds_remaining").GetDouble(), 0.001);

        _clock.Advance(TimeSpan.FromDays(6)); // a day past notAfter: that partner fails, the others don't
        (status, entry) = await ReadinessEntryAsync(host, "payments");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Degraded", entry.GetProperty("status").GetString());
        Assert.True(entry.GetProperty("seconds_remaining").GetDouble() < 0);
    }

    [Fact]
    public async Task The_database_is_written_once_per_certificate_and_hour_not_per_token_request()
    {
        using var host = Start(settings => settings["Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore.Database.Command"] = "Information");
        using var payments = host.CreateMtlsClient(_partner);
        await payments.GetAccessTokenAsync("payments", "api:read");
        var first = _clock.GetUtcNow();
        await Eventually.ReachesAsync(() => RecordedAsync(host), rows => rows.Count == 1, "the first sighting in the database");

        for (var i = 0; i < 4; i++)
        {
            _clock.Advance(TimeSpan.FromMinutes(10));
            await payments.GetAccessTokenAsync("payments", "api:read");
        }

        _clock.Advance(TimeSpan.FromMinutes(21)); // 61 minutes after the first write
        await payments.GetAccessTokenAsync("payments", "api:read");
        var rows = await Eventually.ReachesAsync(() => RecordedAsync(host), rows => rows.Single().LastSeen > first, "the hourly update");

        // The queue is written in order: a write for any of the four requests in between would have come before this one.
        Assert.Equal(_clock.GetUtcNow(), rows.Single().LastSeen);
        Assert.Equal(_partner.NotAfter.ToUniversalTime(), rows.Single().NotAfter);
        Assert.Equal(2, host.Logs.Events.Count(e => e.Category == "Microsoft.EntityFrameworkCore.Database.Command" && SightingWrite().IsMatch(e.Message)));
    }

    [Fact]
    public async Task Batches_written_one_after_another_read_every_instance_s_sightings_at_most_once_per_refresh_interval()
    {
        using var host = Start(settings => settings["Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore.Database.Command"] = "Information");
        var certificates = Enumerable.Range(0, 4).Select(_ => _pki.IssueClient("CN=payments,O=Test Org")).ToList();
        var before = FullReads(host);

        // Each new certificate is a batch of its own; the writer handles them in order, so once the third is in the
        // database the refreshes after the first two have run.
        for (var i = 0; i < 3; i++)
        {
            using var client = host.CreateMtlsClient(certificates[i]);
            await client.GetAccessTokenAsync("payments", "api:read");
            await Eventually.ReachesAsync(() => RecordedAsync(host), rows => rows.Count == i + 1, $"sighting {i + 1} in the database");
        }

        Assert.InRange(FullReads(host) - before, 0, 1);

        _clock.Advance(TimeSpan.FromMinutes(1));
        var afterInterval = FullReads(host);
        using (var client = host.CreateMtlsClient(certificates[3]))
        {
            await client.GetAccessTokenAsync("payments", "api:read");
        }

        await Eventually.ReachesAsync(() => Task.FromResult(FullReads(host)), reads => reads == afterInterval + 1, "a read of every sighting after the interval");
        Assert.Equal(4, (await PrometheusScrape.FetchAsync(host)).Samples.Count(s => s.Name == Gauge && s["client_id"] == "payments"));
        certificates.ForEach(certificate => certificate.Dispose());
    }

    [Fact]
    public async Task A_second_instance_on_the_same_database_reports_the_certificate_the_first_one_saw()
    {
        var database = $"Data Source={Path.Combine(_folder, "shared.db")};Pooling=False";
        using var first = Start(settings => settings["Database:ConnectionString"] = database);
        using var second = Start(settings => settings["Database:ConnectionString"] = database);
        using var payments = first.CreateMtlsClient(_partner);
        await payments.GetAccessTokenAsync("payments", "api:read");
        await Eventually.ReachesAsync(() => RecordedAsync(first), rows => rows.Count == 1, "the sighting in the shared database");

        var (_, entry) = await ReadinessEntryAsync(second, "payments");

        Assert.Equal(OAuth.Thumbprint(_partner), entry.GetProperty("id").GetString());
        Assert.Equal(_partner.NotAfter.ToUniversalTime(), entry.GetProperty("expires_at").GetDateTimeOffset());
        Assert.Equal(SecondsUntilExpiry(), (await PrometheusScrape.FetchAsync(second)).One(Gauge, ("client_id", "payments")).Value, 0.001);
        Assert.Empty(second.Logs.WithEventId(6100));
    }

    [Fact]
    public async Task Diagnose_prints_the_certificates_the_client_last_authenticated_with()
    {
        using var host = Start();
        using var payments = host.CreateMtlsClient(_partner);
        await payments.GetAccessTokenAsync("payments", "api:read");
        await Eventually.ReachesAsync(() => RecordedAsync(host), rows => rows.Count == 1, "the sighting in the database");
        var partnerPath = Path.Combine(_folder, "payments.crt");
        PemFiles.WriteCertificates(partnerPath, _partner);

        var run = await DiagnoseRun.InProcessAsync(host, "--cert", partnerPath, "--client-id", "payments");

        Assert.Contains(run.Lines, line => line.StartsWith("Last seen    certificates 'payments' authenticated with", StringComparison.Ordinal));
        Assert.Contains(run.Lines, line => line.Contains($"x5t#S256 {OAuth.Thumbprint(_partner)} (this certificate)", StringComparison.Ordinal)
            && line.Contains($"serial {_partner.SerialNumber}", StringComparison.Ordinal));
        Assert.Contains(run.Lines, line => line.StartsWith("valid until", StringComparison.Ordinal) && line.Contains("(expires in 20 days)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_client_keeps_at_most_four_certificates_and_a_replaced_one_is_no_longer_reported()
    {
        using var services = new ServiceCollection().BuildServiceProvider();
        var sightings = new ClientCertificateSightings(services.GetRequiredService<IServiceScopeFactory>(), _clock, NullLogger<ClientCertificateSightings>.Instance);
        var certificates = Enumerable.Range(0, 6).Select(i => _pki.IssueClient($"CN=payments-{i},O=Test Org")).ToList();
        foreach (var certificate in certificates)
        {
            sightings.Observe("payments", certificate);
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(certificates[2..].Select(OAuth.Thumbprint).Order(), sightings.Current(null).Select(s => s.Thumbprint).Order());

        _clock.Advance(ClientCertificateSightings.ReplacedAfter);
        sightings.Observe("payments", certificates[5]);
        Assert.Equal([OAuth.Thumbprint(certificates[5])], sightings.Current(null).Select(s => s.Thumbprint));
        Assert.Empty(sightings.Current(new HashSet<string> { "orders" })); // a client no longer registered is not watched
        certificates.ForEach(certificate => certificate.Dispose());
    }

    public void Dispose()
    {
        _partner.Dispose();
        _pki.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private TokenServerHost Start(Action<TokenServerSettings>? configure = null) =>
        TokenServerHost.Start(_pki, settings =>
        {
            settings.TimeProvider = _clock;
            settings["Serilog:MinimumLevel:Override:MtlsAuthServer.Monitoring"] = "Information";
            settings["Monitoring:ExpiryWarningWindow"] = "10.00:00:00";
            settings.AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org");
            configure?.Invoke(settings);
        });

    private double SecondsUntilExpiry() => (_partner.NotAfter.ToUniversalTime() - _clock.GetUtcNow()).TotalSeconds;

    private static async Task<IReadOnlyList<ClientCertificateSighting>> RecordedAsync(TokenServerHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ClientCertificateSightingStore>().ListAsync("payments", CancellationToken.None);
    }

    /// <summary>Queries of every recorded sighting (one client's have a WHERE), in EF Core's command log.</summary>
    private static int FullReads(TokenServerHost host) => host.Logs.Events.Count(e =>
        e.Category == "Microsoft.EntityFrameworkCore.Database.Command" && SightingRead().IsMatch(e.Message) && !e.Message.Contains("WHERE", StringComparison.Ordinal));

    [GeneratedRegex(@"SELECT .*FROM \W*ClientCertificateSightings", RegexOptions.Singleline)]
    private static partial Regex SightingRead();

    /// <summary>An INSERT or UPDATE of the sightings table, in EF Core's command log (quoted and escaped by the log renderer).</summary>
    [GeneratedRegex(@"(INSERT INTO|UPDATE) \W*ClientCertificateSightings")]
    private static partial Regex SightingWrite();

    private static async Task<(HttpStatusCode Status, JsonElement Entry)> ReadinessEntryAsync(TokenServerHost host, string clientId)
    {
        using var client = new HttpClient { BaseAddress = host.ManagementUri, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await client.GetAsync("health/ready");
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        var entries = report.GetProperty("checks").GetProperty("expiry").GetProperty("data").GetProperty("entries").EnumerateArray();
        return (response.StatusCode, entries.Single(e => e.GetProperty("client_id").GetString() == clientId));
    }
}
