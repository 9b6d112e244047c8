using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Proxy;

/// <summary>
/// The token server behind a real nginx that terminates mTLS: the forwarded certificate authenticates the client,
/// binds its token, and is validated exactly like a directly presented one; discovery names nginx's URLs.
/// </summary>
public sealed class NginxEdgeTerminationSpecs(NginxEdge edge) : IClassFixture<NginxEdge>
{
    [Fact]
    public async Task A_token_obtained_through_nginx_is_bound_to_the_forwarded_client_certificate()
    {
        using var client = edge.ThroughNginx(edge.Payments);

        using var response = await client.RequestTokenAsync("payments");

        Assert.True(response.StatusCode == HttpStatusCode.OK, await DescribeAsync(response));
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
        var payload = OAuth.DecodePayload(token);
        Assert.Equal(OAuth.Thumbprint(edge.Payments), payload.GetProperty("cnf").GetProperty("x5t#S256").GetString());
        Assert.Equal(edge.PublicEdge.PublicUri.AbsoluteUri, payload.GetProperty("iss").GetString());
    }

    [Fact]
    public async Task Discovery_fetched_through_nginx_advertises_the_nginx_urls()
    {
        using var client = MtlsHttpClient.Create(edge.Pki, null);

        using var response = await client.GetAsync(new Uri(edge.PublicEdge.PublicUri, ".well-known/oauth-authorization-server"));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await DescribeAsync(response));
        var metadata = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(edge.PublicEdge.PublicUri.AbsoluteUri, metadata.GetProperty("issuer").GetString());
        Assert.StartsWith(edge.PublicEdge.PublicUri.AbsoluteUri, metadata.GetProperty("jwks_uri").GetString(), StringComparison.Ordinal);
        var aliases = metadata.GetProperty("mtls_endpoint_aliases");
        Assert.Equal(new Uri(edge.MtlsEdge.PublicUri, "token").AbsoluteUri, aliases.GetProperty("token_endpoint").GetString());
        Assert.Equal(new Uri(edge.MtlsEdge.PublicUri, "introspect").AbsoluteUri, aliases.GetProperty("introspection_endpoint").GetString());
        Assert.Equal(new Uri(edge.MtlsEdge.PublicUri, "revoke").AbsoluteUri, aliases.GetProperty("revocation_endpoint").GetString());
    }

    [Fact]
    public async Task Introspection_and_revocation_through_nginx_authenticate_the_caller_by_its_forwarded_certificate()
    {
        using var payments = edge.ThroughNginx(edge.Payments);
        using var resourceApi = edge.ThroughNginx(edge.ResourceApi);
        var token = await payments.GetAccessTokenAsync("payments");

        using var introspection = await resourceApi.PostAsync("introspect", OAuth.Form(("client_id", "sample-resource-api"), ("token", token)));
        using var revocation = await payments.PostAsync("revoke", OAuth.Form(("client_id", "payments"), ("token", token)));
        using var afterRevocation = await resourceApi.PostAsync("introspect", OAuth.Form(("client_id", "sample-resource-api"), ("token", token)));

        Assert.True(introspection.StatusCode == HttpStatusCode.OK, await DescribeAsync(introspection));
        var body = await introspection.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("active").GetBoolean());
        Assert.Equal(OAuth.Thumbprint(edge.Payments), body.GetProperty("cnf").GetProperty("x5t#S256").GetString());
        Assert.Equal(HttpStatusCode.OK, revocation.StatusCode);
        Assert.False((await afterRevocation.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task A_revoked_certificate_forwarded_by_nginx_is_refused()
    {
        using var client = edge.ThroughNginx(edge.Revoked);

        using var response = await client.RequestTokenAsync("revoked");

        await OAuth.AssertRejectedAsync(response, edge.Host.Logs, "certificate_revoked", edge.Revoked);
    }

    [Fact]
    public async Task An_expired_certificate_forwarded_by_nginx_is_refused()
    {
        using var client = edge.ThroughNginx(edge.Expired);

        using var response = await client.RequestTokenAsync("expired");

        await OAuth.AssertRejectedAsync(response, edge.Host.Logs, "certificate_expired", edge.Expired);
    }

    [Fact]
    public async Task A_certificate_from_another_ca_forwarded_by_nginx_is_refused()
    {
        using var client = edge.ThroughNginx(edge.ImpostorPayments);

        using var response = await client.RequestTokenAsync("payments");

        await OAuth.AssertRejectedAsync(response, edge.Host.Logs, "chain_untrusted", edge.ImpostorPayments);
    }

    [Fact]
    public async Task A_client_cannot_replace_its_certificate_by_sending_the_header_through_nginx()
    {
        // billing's client sends payments' public certificate in the header; nginx overwrites it with billing's own.
        using var client = edge.ThroughNginx(edge.Billing);
        using var request = new HttpRequestMessage(HttpMethod.Post, "token")
        {
            Content = OAuth.Form(("grant_type", "client_credentials"), ("client_id", "payments")),
        };
        request.Headers.Add("X-SSL-Client-Cert", ForwardedHeaderValues.NginxEscaped(edge.Payments));

        using var response = await client.SendAsync(request);

        await OAuth.AssertRejectedAsync(response, edge.Host.Logs, "identity_mismatch", edge.Billing);
    }

    [Fact]
    public async Task Without_a_client_certificate_a_header_sent_through_nginx_is_dropped_by_nginx()
    {
        using var client = edge.ThroughNginx(null);
        using var request = new HttpRequestMessage(HttpMethod.Post, "token")
        {
            Content = OAuth.Form(("grant_type", "client_credentials"), ("client_id", "payments")),
        };
        request.Headers.Add("X-SSL-Client-Cert", ForwardedHeaderValues.NginxEscaped(edge.Payments));

        using var response = await client.SendAsync(request);

        await OAuth.AssertRejectedAsync(response, edge.Host.Logs, "no_client_certificate", null);
    }

    private async Task<string> DescribeAsync(HttpResponseMessage response) =>
        $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n--- nginx error log ---\n{edge.Nginx.ErrorLog}";
}
