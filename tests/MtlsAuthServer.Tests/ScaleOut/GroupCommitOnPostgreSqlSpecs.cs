using System.Net;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Tests.Infrastructure;
using Npgsql;

namespace MtlsAuthServer.Tests.ScaleOut;

/// <summary>
/// Group commit of token rows on a real PostgreSQL database. The batch is made deterministic by a table lock taken from
/// outside (another instance's transaction, as it were): the first commit waits for it and the later rows queue.
/// </summary>
public sealed class GroupCommitOnPostgreSqlSpecs : IClassFixture<PostgresServer>, IDisposable
{
    private readonly TestPki _pki = TestPki.Create();
    private readonly SharedDeployment _deployment;
    private readonly TokenServerHost _host;
    private readonly X509Certificate2 _payments;
    private readonly X509Certificate2 _billing;
    private readonly X509Certificate2 _resource;

    public GroupCommitOnPostgreSqlSpecs(PostgresServer postgres)
    {
        _deployment = new SharedDeployment(postgres.CreateDatabase());
        _host = TokenServerHost.Start(_pki, settings =>
        {
            _deployment.Apply(settings)
                .AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org")
                .AddTlsClient("billing", "tls_client_auth_subject_dn", "CN=billing,O=Test Org")
                .AddTlsClient("sample-resource-api", "tls_client_auth_subject_dn", "CN=sample-resource-api,O=Test Org", scope: null);
            settings["Database:CommandTimeout"] = "00:00:30"; // The held lock must outlast the forming of the batch.
        });
        _payments = _pki.IssueClient("CN=payments, O=Test Org");
        _billing = _pki.IssueClient("CN=billing, O=Test Org");
        _resource = _pki.IssueClient("CN=sample-resource-api, O=Test Org");
    }

    [Fact]
    public async Task Concurrent_token_requests_committed_together_each_have_their_own_row_active_and_revocable_alone()
    {
        using var payments = _host.CreateMtlsClient(_payments);
        using var resource = _host.CreateMtlsClient(_resource);

        var responses = await WhileTokenTableIsLockedAsync(
            () => payments.RequestTokenAsync("payments", "api:read"),
            () => [.. Enumerable.Range(0, 6).Select(_ => payments.RequestTokenAsync("payments", "api:read"))]);
        var tokens = await Task.WhenAll(responses.Select(TokenRows.AccessTokenAsync));

        Assert.Equal(tokens.Select(TokenRows.RowId).Order(), (await RowIdsAsync("payments")).Order());
        Assert.Equal(7, tokens.Distinct().Count());
        foreach (var token in tokens)
        {
            Assert.True(await resource.IsActiveAsync("sample-resource-api", token));
        }

        using (var revocation = await payments.RevokeAsync("payments", tokens[5]))
        {
            Assert.Equal(HttpStatusCode.OK, revocation.StatusCode);
        }

        Assert.False(await resource.IsActiveAsync("sample-resource-api", tokens[5]));
        Assert.True(await resource.IsActiveAsync("sample-resource-api", tokens[4]));
    }

    [Fact]
    public async Task A_row_the_database_refuses_fails_only_its_own_request_and_its_batch_neighbours_are_stored()
    {
        using var payments = _host.CreateMtlsClient(_payments);
        using var billing = _host.CreateMtlsClient(_billing);
        using var resource = _host.CreateMtlsClient(_resource);
        await ExecuteAsync("""
            CREATE FUNCTION refuse_billing() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN RAISE EXCEPTION 'billing rows refused by this spec' USING ERRCODE = 'check_violation'; END $$;
            CREATE TRIGGER refuse_billing BEFORE INSERT ON "OpenIddictTokens"
            FOR EACH ROW WHEN (NEW."Subject" = 'billing') EXECUTE FUNCTION refuse_billing();
            """);

        var responses = await WhileTokenTableIsLockedAsync(
            () => payments.RequestTokenAsync("payments", "api:read"),
            () => [payments.RequestTokenAsync("payments", "api:read"), billing.RequestTokenAsync("billing", "api:read"), payments.RequestTokenAsync("payments", "api:read")]);

        Assert.Equal(HttpStatusCode.InternalServerError, responses[2].StatusCode);
        var stored = await Task.WhenAll(responses.Where((_, index) => index != 2).Select(TokenRows.AccessTokenAsync));
        Assert.Equal(stored.Select(TokenRows.RowId).Order(), (await RowIdsAsync("payments")).Order());
        Assert.Empty(await RowIdsAsync("billing"));
        foreach (var token in stored)
        {
            Assert.True(await resource.IsActiveAsync("sample-resource-api", token));
        }

        Assert.Contains(_host.Logs.WithEventId(4700), e => e["Rows"] == "3");
    }

    public void Dispose()
    {
        _host.Dispose();
        _payments.Dispose();
        _billing.Dispose();
        _resource.Dispose();
        _deployment.Dispose();
        _pki.Dispose();
    }

    private async Task<HttpResponseMessage[]> WhileTokenTableIsLockedAsync(Func<Task<HttpResponseMessage>> first, Func<Task<HttpResponseMessage>[]> others)
    {
        await using var connection = new NpgsqlConnection(_deployment.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand("""LOCK TABLE "OpenIddictTokens" IN EXCLUSIVE MODE""", connection, transaction))
        {
            await command.ExecuteNonQueryAsync();
        }

        var requests = await _host.Writer().QueueBehindHeldCommitAsync(first, others);
        await transaction.CommitAsync();
        return await Task.WhenAll(requests);
    }

    private async Task<List<string>> RowIdsAsync(string subject)
    {
        await using var connection = new NpgsqlConnection(_deployment.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT "Id" FROM "OpenIddictTokens" WHERE "Subject" = @subject""", connection);
        command.Parameters.AddWithValue("subject", subject);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_deployment.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
