using System.Net;
using MtlsAuthServer.Tests.Infrastructure;
using Npgsql;

namespace MtlsAuthServer.Tests.ScaleOut;

/// <summary>
/// Two token-server instances on one real PostgreSQL database, sharing keys and issuer as behind a load balancer:
/// whatever one instance issues, revokes or registers, the other honours.
/// </summary>
public sealed class CrossInstanceSpecs : IClassFixture<PostgresServer>, IDisposable
{
    private const string ResourceDn = "CN=sample-resource-api,O=Test Org";

    private readonly TestPki _pki = TestPki.Create();
    private readonly SharedDeployment _deployment;

    public CrossInstanceSpecs(PostgresServer postgres) => _deployment = new SharedDeployment(postgres.CreateDatabase());

    [Fact]
    public async Task A_token_issued_by_one_instance_introspects_as_active_at_the_other()
    {
        using var first = StartInstance(RegisterPaymentsAndResource);
        using var second = StartInstance(RegisterPaymentsAndResource);
        using var payments = _pki.IssueClient("CN=payments,O=Test Org");
        using var resource = _pki.IssueClient(ResourceDn);
        using var paymentsAtFirst = first.CreateMtlsClient(payments);
        using var resourceAtSecond = second.CreateMtlsClient(resource);

        var token = await paymentsAtFirst.GetAccessTokenAsync("payments", "api:read");

        Assert.True(await resourceAtSecond.IsActiveAsync("sample-resource-api", token));
        Assert.Equal(SharedDeployment.Issuer, OAuth.DecodePayload(token).GetProperty("iss").GetString());
    }

    [Fact]
    public async Task A_token_revoked_at_one_instance_introspects_as_inactive_at_the_other()
    {
        using var first = StartInstance(RegisterPaymentsAndResource);
        using var second = StartInstance(RegisterPaymentsAndResource);
        using var payments = _pki.IssueClient("CN=payments,O=Test Org");
        using var resource = _pki.IssueClient(ResourceDn);
        using var paymentsAtFirst = first.CreateMtlsClient(payments);
        using var paymentsAtSecond = second.CreateMtlsClient(payments);
        using var resourceAtFirst = first.CreateMtlsClient(resource);
        var token = await paymentsAtFirst.GetAccessTokenAsync("payments", "api:read");
        Assert.True(await resourceAtFirst.IsActiveAsync("sample-resource-api", token));

        using var revocation = await paymentsAtSecond.RevokeAsync("payments", token);

        Assert.Equal(HttpStatusCode.OK, revocation.StatusCode);
        Assert.False(await resourceAtFirst.IsActiveAsync("sample-resource-api", token));
    }

    [Fact]
    public async Task A_client_registered_through_one_instance_authenticates_at_the_other()
    {
        using var registrar = StartInstance(s => s.AddTlsClient("billing", "tls_client_auth_san_dns", "billing.example.com"));
        using var readOnly = StartInstance(s => s["ClientRegistry:Synchronize"] = "false");
        using var billing = _pki.IssueClient("CN=billing", p => p with { DnsNames = ["billing.example.com"] });
        using var billingAtReadOnly = readOnly.CreateMtlsClient(billing);

        using var response = await billingAtReadOnly.RequestTokenAsync("billing", "api:read");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(readOnly.Logs.WithEventId(4403), e => e["RegistryState"]!.StartsWith("read-only", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Instances_with_different_registration_sets_keep_each_others_clients()
    {
        using var treasury = StartInstance(s => s.AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org")
            .Values["ClientRegistry:Source"] = "treasury");
        using var sales = StartInstance(s => s.AddTlsClient("billing", "tls_client_auth_san_dns", "billing.example.com")
            .Values["ClientRegistry:Source"] = "sales");
        using var payments = _pki.IssueClient("CN=payments,O=Test Org");
        using var billing = _pki.IssueClient("CN=billing", p => p with { DnsNames = ["billing.example.com"] });
        using var paymentsAtSales = sales.CreateMtlsClient(payments);
        using var billingAtTreasury = treasury.CreateMtlsClient(billing);

        using var paymentsResponse = await paymentsAtSales.RequestTokenAsync("payments", "api:read");
        using var billingResponse = await billingAtTreasury.RequestTokenAsync("billing", "api:read");

        Assert.Equal(HttpStatusCode.OK, paymentsResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, billingResponse.StatusCode);
        Assert.Empty(sales.Logs.WithEventId(4406));
    }

    [Fact]
    public async Task A_client_dropped_from_its_registration_set_is_refused_by_every_instance()
    {
        using var before = StartInstance(s => s
            .AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org")
            .AddTlsClient("billing", "tls_client_auth_san_dns", "billing.example.com"));
        using var after = StartInstance(s => s.AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org"));
        using var billing = _pki.IssueClient("CN=billing", p => p with { DnsNames = ["billing.example.com"] });
        using var billingAtBefore = before.CreateMtlsClient(billing);

        using var response = await billingAtBefore.RequestTokenAsync("billing", "api:read");

        await OAuth.AssertRejectedAsync(response, before.Logs, "client_disabled", billing);
        Assert.Contains(after.Logs.WithEventId(4406), e => e["ClientId"] == "billing");
    }

    [Fact]
    public async Task A_client_listed_by_two_registration_sets_stops_the_second_instance_and_nothing_of_its_list_is_written()
    {
        using var treasury = StartInstance(s => s.AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org")
            .Values["ClientRegistry:Source"] = "treasury");

        // billing is written before payments is found to conflict: the transaction must take it back.
        var failure = Assert.ThrowsAny<Exception>(() => StartInstance(s => s
            .AddTlsClient("billing", "tls_client_auth_san_dns", "billing.example.com")
            .AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org")
            .Values["ClientRegistry:Source"] = "sales"));

        Assert.Contains("Clients:1:client_id 'payments'", Flatten(failure), StringComparison.Ordinal);
        Assert.Contains("ClientRegistry:Source", Flatten(failure), StringComparison.Ordinal);
        Assert.Equal(["payments"], await ClientIdsAsync());
    }

    public void Dispose()
    {
        _deployment.Dispose();
        _pki.Dispose();
    }

    [Fact]
    public async Task The_certificate_a_client_authenticated_with_at_one_instance_is_reported_by_the_other()
    {
        using var first = StartInstance(RegisterPaymentsAndResource);
        // Readiness reads the shared table at every check here (the default is at most once a minute), so the spec
        // need not wait for the interval.
        using var second = StartInstance(settings =>
        {
            RegisterPaymentsAndResource(settings);
            settings["Monitoring:RegisteredClientsRefreshInterval"] = "00:00:00";
        });
        using var payments = _pki.IssueClient("CN=payments,O=Test Org");
        using var paymentsAtFirst = first.CreateMtlsClient(payments);
        using var management = new HttpClient { BaseAddress = second.ManagementUri, Timeout = TimeSpan.FromSeconds(30) };

        await paymentsAtFirst.GetAccessTokenAsync("payments", "api:read");

        // Written in the background by the first instance; read from the shared table by the second one's readiness check.
        var report = await Eventually.ReachesAsync(
            () => management.GetStringAsync("health/ready"), body => body.Contains(OAuth.Thumbprint(payments), StringComparison.Ordinal), "the sighting at the second instance");
        Assert.Contains("\"client_id\":\"payments\"", report, StringComparison.Ordinal);
        Assert.Contains($"\"expires_at\":\"{payments.NotAfter.ToUniversalTime():yyyy-MM-ddTHH:mm:ss}+00:00\"", report, StringComparison.Ordinal);
    }

    [Fact]
    public void A_first_start_on_a_new_database_logs_no_error()
    {
        // EF Core used to log its read of the not-yet-created migration history as a failed command (Error).
        using var instance = StartInstance(RegisterPaymentsAndResource);

        Assert.Single(instance.Logs.WithEventId(4405));
        Assert.DoesNotContain(instance.Logs.Events, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    private static void RegisterPaymentsAndResource(TokenServerSettings settings) => settings
        .AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org", "api:read api:write")
        .AddTlsClient("sample-resource-api", "tls_client_auth_subject_dn", ResourceDn, scope: null);

    private async Task<List<string>> ClientIdsAsync()
    {
        await using var connection = new NpgsqlConnection(_deployment.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT \"ClientId\" FROM \"OpenIddictApplications\" ORDER BY 1", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static string Flatten(Exception exception) =>
        exception.InnerException is null ? exception.Message : exception.Message + " | " + Flatten(exception.InnerException);

    private TokenServerHost StartInstance(Action<TokenServerSettings> configure) =>
        TokenServerHost.Start(_pki, settings => configure(_deployment.Apply(settings)));
}
