using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using MtlsAuthServer.Data;
using MtlsAuthServer.Tests.Infrastructure;
using OpenIddict.Abstractions;

namespace MtlsAuthServer.Tests.Registration;

/// <summary>
/// Revoking a client's tokens on SQLite, where access-token rows are outside OpenIddict's token-by-client index and the
/// table is walked in key order, <see cref="ClientTokenRevocation.TurnSize"/> rows per write turn: every row of that
/// client is revoked (at turn boundaries too, old random-GUID ids as well as time-ordered ones, whatever their status),
/// no row of another client is touched, and the server's introspection agrees.
/// </summary>
public sealed class ClientTokenRevocationSpecs : IDisposable
{
    private const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";
    private static readonly string[] Statuses = ["valid", "inactive", "redeemed", "rejected"];
    private readonly TestPki _pki = TestPki.Create();
    private readonly TokenServerHost _host;

    public ClientTokenRevocationSpecs() =>
        _host = TokenServerHost.Start(_pki, settings => settings
            .AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org")
            .AddTlsClient("billing", "tls_client_auth_subject_dn", "CN=billing,O=Test Org")
            .AddTlsClient("sample-resource-api", "tls_client_auth_subject_dn", "CN=sample-resource-api,O=Test Org", scope: null));

    [Fact]
    public async Task Every_row_of_the_client_is_revoked_across_turns_and_no_row_of_another_client()
    {
        var paymentsToken = await TokenOfAsync("payments");
        var billingToken = await TokenOfAsync("billing");
        var payments = await ApplicationIdAsync("payments");
        var billing = await ApplicationIdAsync("billing");

        // Enough rows for several turns, the two clients interleaved in key order, so that turn boundaries fall on rows
        // of both; about a third have random ids (rows written before ids were time-ordered) and mixed statuses.
        var random = new Random(20261202);
        var rows = Enumerable.Range(0, 3 * ClientTokenRevocation.TurnSize + 17).Select(i => (
            Id: (i % 3 == 0 ? Guid.NewGuid() : Guid.CreateVersion7(DateTimeOffset.UnixEpoch.AddSeconds(1_800_000_000 + i))).ToString(),
            Application: random.Next(2) == 0 ? payments : billing,
            Status: Statuses[random.Next(Statuses.Length)])).ToList();
        Insert(rows);
        var paymentsRows = rows.Count(row => row.Application == payments) + 1; // and the row of the token issued above
        var billingBefore = StatusesOf(billing);

        long revoked;
        await using (var scope = _host.Services.CreateAsyncScope())
        {
            revoked = await scope.ServiceProvider.GetRequiredService<ClientTokenRevocation>().RevokeAsync(payments, CancellationToken.None);
        }

        Assert.Equal(paymentsRows, revoked);
        Assert.Equal([("revoked", (long)paymentsRows)], StatusesOf(payments));
        Assert.Equal(billingBefore, StatusesOf(billing));
        Assert.False(await _host.IsActiveForResourceApiAsync(paymentsToken));
        Assert.True(await _host.IsActiveForResourceApiAsync(billingToken));
    }

    [Fact]
    public async Task A_client_without_rows_revokes_none_and_a_table_of_exactly_one_turn_is_walked_whole()
    {
        var payments = await ApplicationIdAsync("payments");
        var billing = await ApplicationIdAsync("billing");
        await using var scope = _host.Services.CreateAsyncScope();
        var revocation = scope.ServiceProvider.GetRequiredService<ClientTokenRevocation>();
        Assert.Equal(0, await revocation.RevokeAsync(payments, CancellationToken.None));

        // One turn's worth of rows, the client's row last: the first read finds a last id, the second turn is empty.
        var rows = Enumerable.Range(0, ClientTokenRevocation.TurnSize).Select(i => (
            Id: Guid.CreateVersion7(DateTimeOffset.UnixEpoch.AddSeconds(1_800_000_000 + i)).ToString(),
            Application: i == ClientTokenRevocation.TurnSize - 1 ? payments : billing,
            Status: "valid")).ToList();
        Insert(rows);
        Assert.Equal(1, await revocation.RevokeAsync(payments, CancellationToken.None));
        Assert.Equal([("revoked", 1L)], StatusesOf(payments));
        Assert.Equal([("valid", (long)ClientTokenRevocation.TurnSize - 1)], StatusesOf(billing));
    }

    [Fact]
    public void Access_token_rows_are_outside_the_token_by_client_index_and_other_token_types_inside_it()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sql FROM sqlite_master WHERE name = 'IX_OpenIddictTokens_ApplicationId_Status_Subject_Type'";
        var sql = (string)command.ExecuteScalar()!;
        Assert.EndsWith($"WHERE \"Type\" <> '{AccessTokenType}'", sql);
    }

    private async Task<string> TokenOfAsync(string clientId)
    {
        using var certificate = _pki.IssueClient($"CN={clientId}, O=Test Org");
        using var client = _host.CreateMtlsClient(certificate);
        return await client.GetAccessTokenAsync(clientId);
    }

    private async Task<string> ApplicationIdAsync(string clientId)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        return (await applications.GetIdAsync((await applications.FindByClientIdAsync(clientId))!))!;
    }

    private void Insert(IEnumerable<(string Id, string Application, string Status)> rows)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO OpenIddictTokens (Id, ApplicationId, Status, Subject, Type, CreationDate) VALUES ($id, $app, $status, 'subject', $type, '2027-01-15 08:00:00')";
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var app = command.Parameters.Add("$app", SqliteType.Text);
        var status = command.Parameters.Add("$status", SqliteType.Text);
        command.Parameters.AddWithValue("$type", AccessTokenType);
        foreach (var row in rows)
        {
            (id.Value, app.Value, status.Value) = (row.Id, row.Application, row.Status);
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private List<(string Status, long Rows)> StatusesOf(string applicationId)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT Status, COUNT(*) FROM OpenIddictTokens WHERE ApplicationId = $app GROUP BY Status ORDER BY Status";
        command.Parameters.AddWithValue("$app", applicationId);
        using var reader = command.ExecuteReader();
        var statuses = new List<(string, long)>();
        while (reader.Read())
        {
            statuses.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return statuses;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_host.Configuration["Database:ConnectionString"]);
        connection.Open();
        return connection;
    }

    public void Dispose()
    {
        _host.Dispose();
        _pki.Dispose();
    }
}
