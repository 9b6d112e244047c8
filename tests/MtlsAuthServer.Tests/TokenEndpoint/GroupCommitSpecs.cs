using System.Diagnostics.Metrics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using MtlsAuthServer.Data;
using MtlsAuthServer.Diagnostics;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.TokenEndpoint;

/// <summary>
/// Group commit of token rows on a real SQLite file: concurrent token requests share one transaction, each answer
/// comes only after the commit that holds its row, and a commit that fails issues no token without its row. Batches
/// are made deterministic by holding the server's own SQLite write queue while requests arrive, not by timing.
/// </summary>
public sealed class GroupCommitSpecs : IDisposable
{
    private readonly TestPki _pki = TestPki.Create();
    private readonly TokenServerHost _host;
    private readonly X509Certificate2 _payments;
    private readonly X509Certificate2 _billing;
    private readonly X509Certificate2 _resource;

    public GroupCommitSpecs()
    {
        _host = TokenServerHost.Start(_pki, settings =>
        {
            settings.AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org")
                .AddTlsClient("billing", "tls_client_auth_subject_dn", "CN=billing,O=Test Org")
                .AddTlsClient("sample-resource-api", "tls_client_auth_subject_dn", "CN=sample-resource-api,O=Test Org", scope: null);
            settings["Database:CommandTimeout"] = "00:00:01"; // How long a locked database is waited for.
        });
        _payments = _pki.IssueClient("CN=payments, O=Test Org");
        _billing = _pki.IssueClient("CN=billing, O=Test Org");
        _resource = _pki.IssueClient("CN=sample-resource-api, O=Test Org");
    }

    [Fact]
    public async Task Concurrent_token_requests_share_one_commit_each_with_its_own_row_that_introspects_active_and_revokes_alone()
    {
        using var payments = _host.CreateMtlsClient(_payments);
        using var resource = _host.CreateMtlsClient(_resource);
        using var commits = CollectRowsPerCommit();

        var responses = await WhileWritesAreHeldAsync(
            () => payments.RequestTokenAsync("payments", "api:read"),
            () => [.. Enumerable.Range(0, 7).Select(_ => payments.RequestTokenAsync("payments", "api:read"))]);
        var tokens = await Task.WhenAll(responses.Select(TokenRows.AccessTokenAsync));

        // The first row waited alone for the held queue; the seven that arrived meanwhile were committed together.
        Assert.Contains(7, commits.GetMeasurementSnapshot().Select(m => m.Value));
        Assert.Equal(8, tokens.Select(TokenRows.RowId).Distinct().Count());
        Assert.Equal(tokens.Select(TokenRows.RowId).Order(), RowIds("payments").Order());
        foreach (var token in tokens)
        {
            Assert.True(await resource.IsActiveAsync("sample-resource-api", token));
        }

        using (var revocation = await payments.RevokeAsync("payments", tokens[3]))
        {
            Assert.Equal(HttpStatusCode.OK, revocation.StatusCode);
        }

        Assert.False(await resource.IsActiveAsync("sample-resource-api", tokens[3]));
        foreach (var token in tokens.Where((_, index) => index != 3))
        {
            Assert.True(await resource.IsActiveAsync("sample-resource-api", token));
        }
    }

    [Fact]
    public async Task A_locked_database_answers_503_to_every_request_of_the_batch_and_stores_nothing_then_issues_again_when_unlocked()
    {
        using var payments = _host.CreateMtlsClient(_payments);
        using var resource = _host.CreateMtlsClient(_resource);
        using var outsider = OpenDatabase();

        var responses = await WhileWritesAreHeldAsync(
            () => payments.RequestTokenAsync("payments", "api:read"),
            () => [.. Enumerable.Range(0, 4).Select(_ => payments.RequestTokenAsync("payments", "api:read"))],
            beforeRelease: () => Execute(outsider, "BEGIN EXCLUSIVE;")); // Another process takes the file's write lock.
        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("temporarily_unavailable", await response.ErrorAsync());
            Assert.NotNull(response.Headers.RetryAfter);
        }

        Execute(outsider, "ROLLBACK;");
        Assert.Empty(RowIds("payments"));
        Assert.Contains(_host.Logs.WithEventId(4701), e => e["Rows"] == "4");
        Assert.Equal(5, _host.Logs.WithEventId(4400).Count(e => e["Endpoint"] == "token"));

        var token = await payments.GetAccessTokenAsync("payments", "api:read");
        Assert.Equal([TokenRows.RowId(token)], RowIds("payments"));
        Assert.True(await resource.IsActiveAsync("sample-resource-api", token));
    }

    [Fact]
    public async Task A_row_the_database_refuses_fails_only_its_own_request_and_the_rest_of_its_batch_is_stored_row_by_row()
    {
        using var payments = _host.CreateMtlsClient(_payments);
        using var billing = _host.CreateMtlsClient(_billing);
        using var resource = _host.CreateMtlsClient(_resource);
        using (var database = OpenDatabase())
        {
            // A constraint of the database, not a lock: retrying it alone fails again; retrying the others succeeds.
            Execute(database, """
                CREATE TRIGGER refuse_billing BEFORE INSERT ON OpenIddictTokens WHEN NEW.Subject = 'billing'
                BEGIN SELECT RAISE(ABORT, 'billing rows refused by this spec'); END;
                """);
        }

        var responses = await WhileWritesAreHeldAsync(
            () => payments.RequestTokenAsync("payments", "api:read"),
            () =>
        [
            payments.RequestTokenAsync("payments", "api:read"),
            billing.RequestTokenAsync("billing", "api:read"),
            payments.RequestTokenAsync("payments", "api:read"),
        ]);

        Assert.Equal(HttpStatusCode.InternalServerError, responses[2].StatusCode);
        Assert.DoesNotContain("access_token", await responses[2].Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var stored = await Task.WhenAll(responses.Where((_, index) => index != 2).Select(TokenRows.AccessTokenAsync));
        Assert.Equal(stored.Select(TokenRows.RowId).Order(), RowIds("payments").Order());
        Assert.Empty(RowIds("billing"));
        foreach (var token in stored)
        {
            Assert.True(await resource.IsActiveAsync("sample-resource-api", token));
        }

        Assert.Contains(_host.Logs.WithEventId(4700), e => e["Rows"] == "3");
        Assert.Contains(_host.Logs.WithEventId(4701), e => e["Rows"] == "1");
    }

    public void Dispose()
    {
        _host.Dispose();
        _payments.Dispose();
        _billing.Dispose();
        _resource.Dispose();
        _pki.Dispose();
    }

    /// <summary>Holds the server's own SQLite write queue while the batch forms (see <see cref="TokenRows.QueueBehindHeldCommitAsync"/>), then lets it commit.</summary>
    private async Task<HttpResponseMessage[]> WhileWritesAreHeldAsync(
        Func<Task<HttpResponseMessage>> first, Func<Task<HttpResponseMessage>[]> others, Action? beforeRelease = null)
    {
        var writes = _host.Services.GetRequiredService<SqliteWriteSerializer>();
        var requests = await writes.ExclusiveAsync(async () =>
        {
            var queued = await _host.Writer().QueueBehindHeldCommitAsync(first, others);
            beforeRelease?.Invoke();
            return queued;
        }, CancellationToken.None);
        return await Task.WhenAll(requests);
    }

    private MetricCollector<int> CollectRowsPerCommit() =>
        new(_host.Services.GetRequiredService<IMeterFactory>(), AuthenticationMetrics.MeterName, StoreMetrics.TokenRowsPerCommitName);

    private SqliteConnection OpenDatabase()
    {
        var connection = new SqliteConnection(_host.Configuration["Database:ConnectionString"]);
        connection.Open();
        return connection;
    }

    private List<string> RowIds(string subject)
    {
        using var connection = OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id FROM OpenIddictTokens WHERE Subject = $subject";
        command.Parameters.AddWithValue("$subject", subject);
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
