using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Introspection;

/// <summary><c>Tokens:Storage=SelfContained</c>: bound tokens without a database row, and an honest <c>/revoke</c>.</summary>
public sealed class SelfContainedTokenSpecs : IDisposable
{
    private readonly TestPki _pki = TestPki.Create();

    [Fact]
    public async Task Self_contained_tokens_are_bound_and_introspectable_but_revocation_says_it_is_unsupported()
    {
        using var host = TokenServerHost.Start(_pki, settings =>
        {
            settings.AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org")
                .AddTlsClient("sample-resource-api", "tls_client_auth_subject_dn", "CN=sample-resource-api,O=Test Org", scope: null);
            settings["Tokens:Storage"] = "SelfContained";
        });
        using var certificate = _pki.IssueClient("CN=payments,O=Test Org");
        using var client = host.CreateMtlsClient(certificate);
        var token = await client.GetAccessTokenAsync("payments");

        using var revocation = await client.PostAsync("revoke", OAuth.Form(("client_id", "payments"), ("token", token)));
        using var resourceCertificate = _pki.IssueClient("CN=sample-resource-api,O=Test Org");
        using var resource = host.CreateMtlsClient(resourceCertificate);
        using var introspection = await resource.PostAsync("introspect", OAuth.Form(("client_id", "sample-resource-api"), ("token", token)));

        Assert.Equal(OAuth.Thumbprint(certificate), OAuth.DecodePayload(token).GetProperty("cnf").GetProperty("x5t#S256").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, revocation.StatusCode);
        Assert.Equal("unsupported_token_type", await revocation.ErrorAsync());
        var body = await introspection.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("active").GetBoolean(), "a token that could not be revoked must not look revoked");
    }

    public void Dispose() => _pki.Dispose();
}
