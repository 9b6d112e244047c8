using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Introspection;

/// <summary>
/// RFC 7662 §2.2: an active answer tells every allowed caller — the token's own client (presenter) and its resource
/// server (audience) — the same fields, in both storage modes; anyone else, and any unknown token, gets
/// <c>{"active": false}</c> and nothing more.
/// </summary>
public sealed class IntrospectionFieldSpecs : IDisposable
{
    private const string GrantedScope = "api:read api:write";

    private readonly TestPki _pki = TestPki.Create();

    [Theory]
    [InlineData("Database", "payments")]
    [InlineData("Database", "sample-resource-api")]
    [InlineData("SelfContained", "payments")]
    [InlineData("SelfContained", "sample-resource-api")]
    public async Task An_allowed_caller_is_told_every_field_of_an_active_token(string storage, string caller)
    {
        using var host = StartHost(storage);
        using var certificate = _pki.IssueClient("CN=payments,O=Test Org");
        using var client = host.CreateMtlsClient(certificate);
        var token = await client.GetAccessTokenAsync("payments", GrantedScope);
        var claims = OAuth.DecodePayload(token);

        var body = await IntrospectAsync(host, caller, token);

        Assert.True(body.GetProperty("active").GetBoolean());
        Assert.Equal(claims.GetProperty("scope").GetString(), body.GetProperty("scope").GetString());
        Assert.Equal(GrantedScope.Split(' ').Order(StringComparer.Ordinal), body.GetProperty("scope").GetString()!.Split(' ').Order(StringComparer.Ordinal));
        Assert.Equal("payments", body.GetProperty("client_id").GetString());
        Assert.Equal("payments", body.GetProperty("sub").GetString());
        Assert.Equal("sample-resource-api", body.GetProperty("aud").GetString());
        Assert.Equal(claims.GetProperty("jti").GetString(), body.GetProperty("jti").GetString());
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(host.PublicUri.AbsoluteUri, body.GetProperty("iss").GetString());
        Assert.Equal(claims.GetProperty("iat").GetInt64(), body.GetProperty("iat").GetInt64());
        Assert.Equal(claims.GetProperty("exp").GetInt64(), body.GetProperty("exp").GetInt64());
        Assert.True(body.GetProperty("exp").GetInt64() > body.GetProperty("iat").GetInt64());
        Assert.True(body.GetProperty("nbf").GetInt64() <= body.GetProperty("iat").GetInt64());
        Assert.Equal(OAuth.Thumbprint(certificate), body.GetProperty("cnf").GetProperty("x5t#S256").GetString());
    }

    [Theory]
    [InlineData("Database")]
    [InlineData("SelfContained")]
    public async Task A_client_that_is_neither_presenter_nor_audience_is_told_only_that_the_token_is_inactive(string storage)
    {
        using var host = StartHost(storage);
        using var certificate = _pki.IssueClient("CN=payments,O=Test Org");
        using var client = host.CreateMtlsClient(certificate);
        var token = await client.GetAccessTokenAsync("payments", GrantedScope);

        var body = await IntrospectAsync(host, "billing", token);

        Assert.False(body.GetProperty("active").GetBoolean());
        Assert.Single(body.EnumerateObject());
    }

    [Theory]
    [InlineData("Database")]
    [InlineData("SelfContained")]
    public async Task An_unknown_token_is_only_inactive_even_for_a_resource_server(string storage)
    {
        using var host = StartHost(storage);

        var body = await IntrospectAsync(host, "sample-resource-api", "not-a-token");

        Assert.False(body.GetProperty("active").GetBoolean());
        Assert.Single(body.EnumerateObject());
    }

    public void Dispose() => _pki.Dispose();

    private TokenServerHost StartHost(string storage) => TokenServerHost.Start(_pki, settings =>
    {
        settings.AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org", GrantedScope)
            .AddTlsClient("billing", "tls_client_auth_subject_dn", "CN=billing,O=Test Org")
            .AddTlsClient("sample-resource-api", "tls_client_auth_subject_dn", "CN=sample-resource-api,O=Test Org", scope: null);
        settings["Tokens:Storage"] = storage;
    });

    private async Task<JsonElement> IntrospectAsync(TokenServerHost host, string caller, string token)
    {
        using var certificate = _pki.IssueClient($"CN={caller},O=Test Org");
        using var client = host.CreateMtlsClient(certificate);
        using var response = await client.PostAsync("introspect", OAuth.Form(("client_id", caller), ("token", token)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
