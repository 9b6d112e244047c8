using System.Net;
using Microsoft.Data.Sqlite;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Clients;

/// <summary>
/// Clients come from configuration: checked at start-up, upserted (a row already as configured is left alone, one
/// that differs is written, whatever changed it), and disabled when removed.
/// </summary>
public sealed class ClientRegistrySpecs : IDisposable
{
    private readonly TestPki _pki = TestPki.Create();
    private readonly string _database = Path.Combine(Directory.CreateTempSubdirectory("mtls-db-").FullName, "shared.db");

    [Fact]
    public async Task A_client_removed_from_configuration_is_disabled_at_the_next_start()
    {
        using var certificate = _pki.IssueClient("CN=retiring,O=Test Org");
        using (var first = Start(s => s.AddTlsClient("retiring", "tls_client_auth_subject_dn", "CN=retiring,O=Test Org")))
        {
            using var client = first.CreateMtlsClient(certificate);
            using var accepted = await client.RequestTokenAsync("retiring");
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        using var second = Start(s => s.AddTlsClient("someone-else", "tls_client_auth_subject_dn", "CN=someone-else,O=Test Org"));
        using var again = second.CreateMtlsClient(certificate);
        using var refused = await again.RequestTokenAsync("retiring");

        await OAuth.AssertRejectedAsync(refused, second.Logs, "client_disabled", certificate);
    }

    [Fact]
    public async Task A_restart_with_the_same_configuration_writes_no_client_row()
    {
        StartAndStop(s => s.AddTlsClient("steady", "tls_client_auth_subject_dn", "CN=steady,O=Test Org"));

        var written = RowVersion("steady");
        using var again = Start(s => s.AddTlsClient("steady", "tls_client_auth_subject_dn", "CN=steady,O=Test Org"));
        using var certificate = _pki.IssueClient("CN=steady,O=Test Org");
        using var client = again.CreateMtlsClient(certificate);
        using var accepted = await client.RequestTokenAsync("steady");

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(written, RowVersion("steady"));
    }

    [Fact]
    public async Task A_changed_identity_is_written_at_the_next_start()
    {
        StartAndStop(s => s.AddTlsClient("moving", "tls_client_auth_subject_dn", "CN=moving-old,O=Test Org"));

        var written = RowVersion("moving");
        using var second = Start(s => s.AddTlsClient("moving", "tls_client_auth_subject_dn", "CN=moving-new,O=Test Org"));
        using var oldCertificate = _pki.IssueClient("CN=moving-old,O=Test Org");
        using var newCertificate = _pki.IssueClient("CN=moving-new,O=Test Org");
        using var refused = await second.CreateMtlsClient(oldCertificate).RequestTokenAsync("moving");
        using var accepted = await second.CreateMtlsClient(newCertificate).RequestTokenAsync("moving");

        Assert.NotEqual(written, RowVersion("moving"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Theory]
    [InlineData("Permissions", "'[]'")]
    [InlineData("Settings", "json_remove(Settings, '$.tls_client_auth_subject_dn')")]
    [InlineData("DisplayName", "'renamed by hand'")]
    public async Task A_client_row_changed_in_the_database_is_restored_at_the_next_start(string column, string value)
    {
        StartAndStop(s => s.AddTlsClient("tampered", "tls_client_auth_subject_dn", "CN=tampered,O=Test Org"));

        Execute($"UPDATE OpenIddictApplications SET {column} = {value} WHERE ClientId = 'tampered'");
        var tampered = Column("tampered", column);
        using var second = Start(s => s.AddTlsClient("tampered", "tls_client_auth_subject_dn", "CN=tampered,O=Test Org"));
        using var certificate = _pki.IssueClient("CN=tampered,O=Test Org");
        using var accepted = await second.CreateMtlsClient(certificate).RequestTokenAsync("tampered");

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.NotEqual(tampered, Column("tampered", column));
    }

    [Theory]
    [InlineData("tls_client_auth_subject_dn", "not a dn")]
    [InlineData("tls_client_auth_san_ip", "10.0.0.300")]
    [InlineData("tls_client_auth_san_uri", "relative/path")]
    public void A_malformed_client_identity_stops_the_server_at_start_up(string metadata, string value)
    {
        var exception = Assert.ThrowsAny<Exception>(() => Start(s => s.AddTlsClient("broken", metadata, value)).Dispose());

        Assert.Contains("Clients:0", Flatten(exception), StringComparison.Ordinal);
    }

    [Fact]
    public void A_tls_client_auth_client_with_two_identities_stops_the_server_at_start_up()
    {
        var exception = Assert.ThrowsAny<Exception>(() => Start(s =>
        {
            s.AddTlsClient("ambiguous", "tls_client_auth_subject_dn", "CN=a,O=Test Org");
            s["Clients:0:tls_client_auth_san_dns"] = "a.example.com";
        }).Dispose());

        Assert.Contains("exactly one", Flatten(exception), StringComparison.Ordinal);
    }

    [Fact]
    public void A_client_asking_for_an_undefined_scope_stops_the_server_at_start_up()
    {
        var exception = Assert.ThrowsAny<Exception>(() =>
            Start(s => s.AddTlsClient("greedy", "tls_client_auth_subject_dn", "CN=greedy,O=Test Org", "admin")).Dispose());

        Assert.Contains("scope 'admin'", Flatten(exception), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _pki.Dispose();
        Directory.Delete(Path.GetDirectoryName(_database)!, recursive: true);
    }

    private TokenServerHost Start(Action<TokenServerSettings> configure) => TokenServerHost.Start(_pki, settings =>
    {
        settings["Database:ConnectionString"] = $"Data Source={_database};Pooling=False";
        configure(settings);
    });

    // A first start that registers the clients, then a clean stop (the next start finds their rows).
    private void StartAndStop(Action<TokenServerSettings> configure) => Start(configure).Dispose();

    private string? RowVersion(string clientId) => Column(clientId, "ConcurrencyToken");

    private string? Column(string clientId, string column)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {column} FROM OpenIddictApplications WHERE ClientId = $id";
        command.Parameters.AddWithValue("$id", clientId);
        return command.ExecuteScalar() as string;
    }

    private void Execute(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={_database};Pooling=False");
        connection.Open();
        return connection;
    }

    private static string Flatten(Exception exception) =>
        exception is AggregateException aggregate
            ? string.Join(" | ", aggregate.Flatten().InnerExceptions.Select(e => e.Message))
            : exception.Message + (exception.InnerException is null ? string.Empty : " | " + Flatten(exception.InnerException));
}
