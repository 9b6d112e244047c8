using System.Globalization;
using Microsoft.Data.Sqlite;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.TokenEndpoint;

/// <summary>
/// The row behind a client_credentials access token (Database storage) is written by our own handler, not by
/// OpenIddict's token manager: it must be the row OpenIddict would write, column by column, since OpenIddict's
/// introspection, revocation and pruning read it as theirs.
/// </summary>
public sealed class AccessTokenRowSpecs : IDisposable
{
    private readonly TestPki _pki = TestPki.Create();
    private readonly TokenServerHost _host;

    public AccessTokenRowSpecs() =>
        _host = TokenServerHost.Start(_pki, settings => settings.AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org"));

    [Fact]
    public async Task The_row_names_the_client_the_subject_the_type_and_the_tokens_own_dates_and_nothing_else()
    {
        using var certificate = _pki.IssueClient("CN=payments, O=Test Org");
        using var client = _host.CreateMtlsClient(certificate);
        using var first = await client.RequestTokenAsync("payments", "api:read");
        using var second = await client.RequestTokenAsync("payments", "api:read");
        var tokens = new[] { await TokenRows.AccessTokenAsync(first), await TokenRows.AccessTokenAsync(second) };

        using var database = new SqliteConnection(_host.Configuration["Database:ConnectionString"]);
        database.Open();
        var applicationId = Scalar(database, "SELECT Id FROM OpenIddictApplications WHERE ClientId = 'payments'");
        Assert.Equal("2", Scalar(database, "SELECT COUNT(*) FROM OpenIddictTokens")); // One row per token, none twice.
        foreach (var token in tokens)
        {
            var payload = OAuth.DecodePayload(token);
            using var command = database.CreateCommand();
            command.CommandText = """
                SELECT ApplicationId, AuthorizationId, ConcurrencyToken, CreationDate, ExpirationDate, Payload, Properties,
                       RedemptionDate, ReferenceId, Status, Subject, Type
                FROM OpenIddictTokens WHERE Id = $id
                """;
            command.Parameters.AddWithValue("$id", TokenRows.RowId(token));
            using var row = command.ExecuteReader();
            Assert.True(row.Read(), "the token's oi_tkn_id names a stored row");
            Assert.Equal(applicationId, row.GetString(0));
            Assert.True(row.IsDBNull(1), "client_credentials tokens belong to no authorization");
            Assert.False(string.IsNullOrEmpty(row.GetString(2)), "a concurrency token, as for any OpenIddict row");
            Assert.Equal(payload.GetProperty("iat").GetInt64(), Seconds(row.GetString(3)));
            Assert.Equal(payload.GetProperty("exp").GetInt64(), Seconds(row.GetString(4)));
            for (var column = 5; column <= 8; column++)
            {
                Assert.True(row.IsDBNull(column), $"column {row.GetName(column)} stays empty for a JWT access token");
            }

            Assert.Equal("valid", row.GetString(9));
            Assert.Equal(payload.GetProperty("sub").GetString(), row.GetString(10));
            Assert.Equal("payments", row.GetString(10));
            Assert.Equal("urn:ietf:params:oauth:token-type:access_token", row.GetString(11));
        }
    }

    [Fact]
    public async Task Row_ids_are_version_7_uuids_stamped_with_the_tokens_creation_so_inserts_append_to_the_key_index()
    {
        using var certificate = _pki.IssueClient("CN=payments, O=Test Org");
        using var client = _host.CreateMtlsClient(certificate);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.RequestTokenAsync("payments", "api:read");
            var token = await TokenRows.AccessTokenAsync(response);
            var id = TokenRows.RowId(token);
            Assert.True(Guid.TryParseExact(id, "D", out var guid), $"row id {id} is a UUID in its canonical form");
            Assert.Equal(7, guid.Version);
            // The first 48 bits are the Unix time in milliseconds: the token's iat, to the second.
            var milliseconds = long.Parse(id.Replace("-", "", StringComparison.Ordinal)[..12], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            Assert.Equal(OAuth.DecodePayload(token).GetProperty("iat").GetInt64(), milliseconds / 1000);
            ids.Add(id);
        }

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    public void Dispose()
    {
        _host.Dispose();
        _pki.Dispose();
    }

    private static string Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture)!;
    }

    private static long Seconds(string stored) =>
        new DateTimeOffset(DateTime.SpecifyKind(DateTime.Parse(stored, CultureInfo.InvariantCulture), DateTimeKind.Utc)).ToUnixTimeSeconds();
}
