using System.Net;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Clients;

/// <summary>Clients come from configuration: checked at start-up, upserted, and disabled when removed.</summary>
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

    private static string Flatten(Exception exception) =>
        exception is AggregateException aggregate
            ? string.Join(" | ", aggregate.Flatten().InnerExceptions.Select(e => e.Message))
            : exception.Message + (exception.InnerException is null ? string.Empty : " | " + Flatten(exception.InnerException));
}
