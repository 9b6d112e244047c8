using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MtlsAuthServer.Tests.Infrastructure;
using MtlsAuthServer.Tests.TokenEndpoint;

namespace MtlsAuthServer.Tests.Introspection;

/// <summary>RFC 7662 introspection and RFC 7009 revocation, both authenticated by mTLS.</summary>
public sealed class IntrospectionAndRevocationSpecs(StandardTokenServer server) : IClassFixture<StandardTokenServer>
{
    [Fact]
    public async Task Introspection_of_a_bound_token_returns_its_cnf_and_claims()
    {
        using var clientCertificate = server.Pki.IssueClient("CN=payments, OU=Treasury, O=Test Org");
        using var client = server.Host.CreateMtlsClient(clientCertificate);
        var token = await client.GetAccessTokenAsync("payments", "api:read");

        var body = await IntrospectAsync(token);

        Assert.True(body.GetProperty("active").GetBoolean());
        Assert.Equal("payments", body.GetProperty("client_id").GetString());
        Assert.Equal("api:read", body.GetProperty("scope").GetString());
        Assert.True(body.GetProperty("exp").GetInt64() > DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Equal(OAuth.Thumbprint(clientCertificate), body.GetProperty("cnf").GetProperty("x5t#S256").GetString());
    }

    [Fact]
    public async Task A_revoked_token_introspects_as_inactive()
    {
        using var clientCertificate = server.Pki.IssueClient("CN=payments, OU=Treasury, O=Test Org");
        using var client = server.Host.CreateMtlsClient(clientCertificate);
        var token = await client.GetAccessTokenAsync("payments");

        using var revocation = await client.PostAsync("revoke", OAuth.Form(("client_id", "payments"), ("token", token)));
        Assert.Equal(HttpStatusCode.OK, revocation.StatusCode);

        var body = await IntrospectAsync(token);
        Assert.False(body.GetProperty("active").GetBoolean());
        Assert.Single(body.EnumerateObject());
    }

    [Fact]
    public async Task A_garbage_token_introspects_as_inactive()
    {
        var body = await IntrospectAsync("not-a-token");

        Assert.False(body.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Introspection_without_a_client_certificate_is_refused()
    {
        using var client = server.Host.CreateMtlsClient(null);

        using var response = await client.PostAsync("introspect", OAuth.Form(("client_id", "sample-resource-api"), ("token", "x")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", await response.ErrorAsync());
        Assert.Contains(server.Host.Logs.Rejections, e => e["Reason"] == "no_client_certificate" && e["Endpoint"] == "introspection");
    }

    [Fact]
    public async Task Revocation_with_another_clients_certificate_is_refused()
    {
        using var impostor = server.Pki.IssueClient("CN=someone-else, O=Test Org");
        using var client = server.Host.CreateMtlsClient(impostor);

        using var response = await client.PostAsync("revoke", OAuth.Form(("client_id", "payments"), ("token", "x")));

        await OAuth.AssertRejectedAsync(response, server.Host.Logs, "identity_mismatch", impostor);
    }

    private async Task<JsonElement> IntrospectAsync(string token)
    {
        using var resourceCertificate = server.Pki.IssueClient("CN=sample-resource-api, O=Test Org");
        using var resource = server.Host.CreateMtlsClient(resourceCertificate);
        using var response = await resource.PostAsync("introspect", OAuth.Form(("client_id", "sample-resource-api"), ("token", token)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
