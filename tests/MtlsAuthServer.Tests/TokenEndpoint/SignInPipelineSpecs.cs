using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Tests.Infrastructure;
using OpenIddict.Server;

namespace MtlsAuthServer.Tests.TokenEndpoint;

/// <summary>
/// The server as registered (Database storage, client_credentials only) runs no sign-in handler of the code, device
/// or refresh-token flows, and still issues a token whose row is stored.
/// </summary>
public sealed class SignInPipelineSpecs : IDisposable
{
    private readonly TestPki _pki = TestPki.Create();
    private readonly TokenServerHost _host;

    public SignInPipelineSpecs() =>
        _host = TokenServerHost.Start(_pki, settings => settings.AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org"));

    [Fact]
    public async Task Neither_redeeming_nor_authorization_handler_is_registered_and_a_stored_token_is_issued()
    {
        var handlers = _host.Services.GetRequiredService<IOptionsMonitor<OpenIddictServerOptions>>().CurrentValue.Handlers
            .Select(handler => handler.ServiceDescriptor.ServiceType).ToList();
        Assert.DoesNotContain(typeof(OpenIddictServerHandlers.RedeemTokenEntry), handlers);
        Assert.DoesNotContain(typeof(OpenIddictServerHandlers.AttachAuthorization), handlers);
        Assert.Contains(typeof(OpenIddictServerHandlers.GenerateAccessToken), handlers);

        using var certificate = _pki.IssueClient("CN=payments, O=Test Org");
        using var client = _host.CreateMtlsClient(certificate);
        using var response = await client.RequestTokenAsync("payments", "api:read");
        var token = await TokenRows.AccessTokenAsync(response);
        Assert.Equal(TokenRows.RowId(token), Assert.Single(StoredRowIds()));
    }

    private List<string> StoredRowIds()
    {
        using var database = new Microsoft.Data.Sqlite.SqliteConnection(_host.Configuration["Database:ConnectionString"]);
        database.Open();
        using var command = database.CreateCommand();
        command.CommandText = "SELECT Id FROM OpenIddictTokens";
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public void Dispose()
    {
        _host.Dispose();
        _pki.Dispose();
    }
}
