using System.Net;
using System.Text;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.TokenEndpoint;

/// <summary>Bad input gets a clear 4xx in the OAuth error shape: never a 500, never a hang.</summary>
public sealed class MalformedRequestSpecs(StandardTokenServer server) : IClassFixture<StandardTokenServer>
{
    [Theory]
    [InlineData("client_id=payments", HttpStatusCode.BadRequest, "invalid_request")]
    [InlineData("grant_type=password&client_id=payments&username=a&password=b", HttpStatusCode.BadRequest, "unsupported_grant_type")]
    [InlineData("grant_type=authorization_code&client_id=payments&code=x", HttpStatusCode.BadRequest, "unsupported_grant_type")]
    [InlineData("grant_type=client_credentials&grant_type=client_credentials&client_id=payments", HttpStatusCode.BadRequest, "invalid_request")]
    [InlineData("grant_type=client_credentials&client_id=payments&client_id=billing", HttpStatusCode.BadRequest, "invalid_request")]
    [InlineData("grant_type=client_credentials&client_id=payments&scope=admin", HttpStatusCode.BadRequest, "invalid_scope")]
    [InlineData("grant_type=client_credentials&client_id=payments&scope=%FF%FE", HttpStatusCode.BadRequest, "invalid_scope")]
    [InlineData("%%%%&&&===", HttpStatusCode.BadRequest, "invalid_request")]
    public async Task A_malformed_token_request_gets_the_right_oauth_error(string body, HttpStatusCode status, string error)
    {
        using var response = await PostAsync(body, "application/x-www-form-urlencoded");

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(error, await response.ErrorAsync());
    }

    [Theory]
    [InlineData("application/json", "{\"grant_type\":\"client_credentials\",\"client_id\":\"payments\"}")]
    [InlineData("text/plain", "grant_type=client_credentials&client_id=payments")]
    public async Task A_token_request_that_is_not_a_form_is_refused(string contentType, string body)
    {
        using var response = await PostAsync(body, contentType);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", await response.ErrorAsync());
    }

    [Fact]
    public async Task A_get_on_the_token_endpoint_is_refused()
    {
        using var certificate = server.Pki.IssueClient("CN=payments, OU=Treasury, O=Test Org");
        using var client = server.Host.CreateMtlsClient(certificate);

        using var response = await client.GetAsync("token?grant_type=client_credentials&client_id=payments");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", await response.ErrorAsync());
    }

    [Fact]
    public async Task A_body_larger_than_the_limit_gets_413_in_the_oauth_shape()
    {
        var body = "grant_type=client_credentials&client_id=payments&x=" + new string('a', 2 * 1024 * 1024);

        // Expect: 100-continue, as curl sends for large bodies: the refusal arrives before the upload, so the
        // test doesn't race the server closing the connection mid-upload.
        using var response = await PostAsync(body, "application/x-www-form-urlencoded", expectContinue: true);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("invalid_request", await response.ErrorAsync());
    }

    [Fact]
    public async Task A_single_huge_key_is_refused_with_400()
    {
        var body = new string('k', 40 * 1024) + "=v";

        using var response = await PostAsync(body, "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", await response.ErrorAsync());
    }

    [Fact]
    public async Task Too_many_parameters_are_refused_with_400()
    {
        var body = string.Join('&', Enumerable.Range(0, 2000).Select(i => $"p{i}=v"));

        using var response = await PostAsync(body, "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", await response.ErrorAsync());
    }

    private async Task<HttpResponseMessage> PostAsync(string body, string contentType, bool expectContinue = false)
    {
        using var certificate = server.Pki.IssueClient("CN=payments, OU=Treasury, O=Test Org");
        using var client = server.Host.CreateMtlsClient(certificate);
        using var request = new HttpRequestMessage(HttpMethod.Post, "token") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        request.Headers.ExpectContinue = expectContinue;
        return await client.SendAsync(request);
    }
}
