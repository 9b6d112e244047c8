using System.Net;
using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using MtlsAuthServer.Diagnostics;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Introspection;

/// <summary>Rows of tokens that can no longer be used are deleted in the background; usable tokens keep theirs.</summary>
public sealed class TokenPruningSpecs : IDisposable
{
    private readonly TestPki _pki = TestPki.Create();
    private readonly TokenServerHost _host;

    public TokenPruningSpecs() =>
        _host = TokenServerHost.Start(_pki, settings =>
        {
            settings.AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org")
                .AddTlsClient("sample-resource-api", "tls_client_auth_subject_dn", "CN=sample-resource-api,O=Test Org", scope: null);
            settings["Tokens:PruneInterval"] = "00:00:00.200";
            settings["Tokens:PruneRetention"] = "00:00:00";
        });

    [Fact]
    public async Task A_revoked_tokens_row_is_deleted_and_a_valid_tokens_row_is_kept()
    {
        using var certificate = _pki.IssueClient("CN=payments, O=Test Org");
        using var client = _host.CreateMtlsClient(certificate);
        using var pruned = new MetricCollector<long>(
            _host.Services.GetRequiredService<IMeterFactory>(), AuthenticationMetrics.MeterName, StoreMetrics.TokensPrunedName);
        var revoked = await client.GetAccessTokenAsync("payments");
        var kept = await client.GetAccessTokenAsync("payments");
        using (var revocation = await client.PostAsync("revoke", OAuth.Form(("client_id", "payments"), ("token", revoked))))
        {
            Assert.Equal(HttpStatusCode.OK, revocation.StatusCode);
        }

        // Bounded wait for a pruning round that found the revoked row (rounds run every 200 ms). The round counts its
        // deletions after they commit, so the row can be gone a moment before the counter moves: wait for both.
        await Eventually.ReachesAsync(
            () => Task.FromResult((Revoked: CountRows("revoked"), Pruned: pruned.GetMeasurementSnapshot().Sum(measurement => measurement.Value))),
            state => state.Revoked == 0 && state.Pruned >= 1, "a pruning round that deleted the revoked row", TimeSpan.FromSeconds(20));

        Assert.Equal(0, CountRows("revoked"));
        Assert.Equal(1, CountRows("valid"));
        Assert.True(pruned.GetMeasurementSnapshot().Sum(measurement => measurement.Value) >= 1);
        Assert.False(await _host.IsActiveForResourceApiAsync(revoked));
        Assert.True(await _host.IsActiveForResourceApiAsync(kept));
    }

    private long CountRows(string status)
    {
        using var connection = new SqliteConnection(_host.Configuration["Database:ConnectionString"]);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM OpenIddictTokens WHERE Status = $status";
        command.Parameters.AddWithValue("$status", status);
        return (long)command.ExecuteScalar()!;
    }

    public void Dispose()
    {
        _host.Dispose();
        _pki.Dispose();
    }
}
