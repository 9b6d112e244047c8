using System.Net;
using System.Text;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.TokenEndpoint;

/// <summary>
/// The OAuth endpoints take a UTF-8 form and nothing else (RFC 6749 §3.2 and Appendix B, RFC 7662 §2.1, RFC 7009
/// §2.1): any other media type, charset or a malformed Content-Type gets 400 invalid_request in the OAuth shape on
/// both TLS listeners, before authentication, never a 500.
/// </summary>
public sealed class ContentTypeSpecs(StandardTokenServer server) : IClassFixture<StandardTokenServer>
{
    public static TheoryData<string, string, string> RefusedContentTypes()
    {
        var data = new TheoryData<string, string, string>();
        string[][] cases =
        [
            ["application/x-www-form-urlencoded; charset=utf-7", "unsupported_charset"],
            ["application/x-www-form-urlencoded; charset=\"", "malformed_content_type"],
            ["application/x-www-form-urlencoded; charset=", "malformed_content_type"],
            ["application/x-www-form-urlencoded; charset", "malformed_content_type"],
            ["application/x-www-form-urlencoded; charset=iso-8859-1", "unsupported_charset"],
            ["application/x-www-form-urlencoded; charset=\"utf-16\"", "unsupported_charset"],
            ["application/x-www-form-urlencoded; charset=utf-8; charset=utf-8", "malformed_content_type"],
            ["application/x-www-form-urlencoded; boundary=x", "unsupported_media_type"],
            ["application/x-www-form-urlencoded;;;;=", "malformed_content_type"],
            ["multipart/form-data; boundary=x", "unsupported_media_type"],
            ["application/json", "unsupported_media_type"],
        ];
        foreach (var path in new[] { "token", "introspect", "revoke", "token/" })
        {
            foreach (var c in cases)
            {
                data.Add(path, c[0], c[1]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RefusedContentTypes))]
    public async Task Another_media_type_or_charset_is_refused_with_invalid_request_without_a_certificate_and_the_public_listener_serves_none(
        string path, string contentType, string problem)
    {
        using var client = MtlsHttpClient.Create(server.Pki, clientCertificate: null);
        const string body = "grant_type=client_credentials&client_id=payments&token=x";
        using var response = await client.SendAsync(Post(new Uri(server.Host.MtlsUri, path), contentType, body));
        using var onPublic = await client.SendAsync(Post(new Uri(server.Host.PublicUri, path), contentType, body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", await response.ErrorAsync());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Contains(server.Host.Logs.WithEventId(4500), e => e["Problem"] == problem);
        // The public listener doesn't serve the OAuth endpoints at all (ListenerOwnershipGuard), whatever the body.
        Assert.Equal(HttpStatusCode.NotFound, onPublic.StatusCode);
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/x-www-form-urlencoded; charset=utf-8")]
    [InlineData("application/x-www-form-urlencoded;charset=UTF-8")]
    [InlineData("APPLICATION/X-WWW-FORM-URLENCODED; CHARSET=\"Utf-8\"")]
    [InlineData("application/x-www-form-urlencoded;;;;")]
    [InlineData("application/x-www-form-urlencoded ; charset=utf-8 ;")]
    public async Task A_utf8_form_is_accepted_however_its_content_type_is_spelt(string contentType)
    {
        using var certificate = server.Pki.IssueClient("CN=payments, OU=Treasury, O=Test Org");
        using var client = server.Host.CreateMtlsClient(certificate);

        using var response = await client.SendAsync(Post(new Uri(server.Host.MtlsUri, "token"), contentType, "grant_type=client_credentials&client_id=payments"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_refusal_is_counted_by_endpoint_and_problem()
    {
        using var collector = server.Host.CollectRequestRefusals();
        using var client = MtlsHttpClient.Create(server.Pki, clientCertificate: null);

        using var response = await client.SendAsync(Post(new Uri(server.Host.MtlsUri, "introspect"), "application/x-www-form-urlencoded; charset=utf-7", "token=x"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(collector.GetMeasurementSnapshot(), m =>
            Equals(m.Tags["endpoint"], "introspection") && Equals(m.Tags["problem"], "unsupported_charset"));
    }

    private static HttpRequestMessage Post(Uri uri, string contentType, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        Assert.True(request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType));
        return request;
    }
}
