using System.Net;
using System.Text.Json.Nodes;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Registration;

/// <summary>The registration endpoints are rate limited per source address: past the limit, 429 with Retry-After and a logged reason.</summary>
public sealed class RegistrationRateLimitSpecs : IDisposable
{
    private readonly TestPki _pki = TestPki.Create();

    [Fact]
    public async Task Requests_past_the_limit_get_429_with_retry_after()
    {
        using var host = TokenServerHost.Start(_pki, s => DynamicRegistration.Enable(s)["Registration:PermitsPerMinute"] = "2");
        using var client = host.CreateMtlsClient(null);
        var metadata = new JsonObject { ["token_endpoint_auth_method"] = "tls_client_auth", ["tls_client_auth_san_dns"] = "limited.example.com" };

        using var one = await client.RegisterAsync(metadata, bearer: "wrong");
        using var two = await client.RegisterAsync(metadata, bearer: "wrong");
        using var three = await client.RegisterAsync(metadata);

        Assert.Equal(HttpStatusCode.Unauthorized, two.StatusCode);
        Assert.Equal((HttpStatusCode)429, three.StatusCode);
        Assert.True(three.Headers.RetryAfter is not null);
        Assert.Contains(host.Logs.WithEventId(4903), e => e["Reason"] == "registration_rate_limited");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(".well-known/openid-configuration")).StatusCode); // other endpoints are not limited
    }

    public void Dispose() => _pki.Dispose();
}
