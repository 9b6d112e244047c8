using System.Net;
using System.Text;
using CsCheck;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.TokenEndpoint;

/// <summary>
/// A bounded, seeded property run against the running server (real Kestrel, real TLS): generated bodies, content
/// types, parameter shapes and header sizes, over HTTP/1.1 and HTTP/2, with and without a client certificate, on both
/// TLS listeners. Whatever is sent, the answer is a status below 500; a connection may end only as the protocol's own
/// answer (an HTTP/2 error for a header block over Kestrel's HTTP/2 limits). Same seed, same requests: a failure
/// names the case number and the request, so it can be replayed.
/// </summary>
public sealed class HostileInputPropertySpecs(StandardTokenServer server) : IClassFixture<StandardTokenServer>
{
    private const int Count = 600;

    /// <summary>Header blocks beyond this may be refused by HTTP/2 itself (Kestrel's announced limits) rather than with a status.</summary>
    private const int Http2HeaderLimit = 16 * 1024;

    private static readonly string[] Names =
        ["grant_type", "client_id", "scope", "token", "token_type_hint", "client_assertion_type", "client_assertion", "client_secret", "x", "", "%00", "a%ZZ", "client_id%00"];

    private static readonly Gen<string> Value = Gen.Frequency(
        (3, Gen.OneOf("client_credentials", "payments", "robot", "api:read", "api:read api:write", "urn:x", "access_token")),
        (3, Gen.String[Gen.Char["abc=&%+;\"\\ \t\u00e9\u2028\n\r\0ZZ09"], 0, 40]),
        (1, Gen.OneOf("%FF%FE", "%C3%28", "%E2%80%A8", "%0A%0D", "%", "%%", "+%2B")),
        (1, Gen.Int[200, 70_000].Select(n => new string('v', n))));

    private static readonly Gen<string> FormBody =
        from pairs in (from name in Gen.OneOf(Names) from value in Value from shape in Gen.Int[0, 3] select (name, value, shape)).Array[0, 8]
        select string.Join("&", pairs.Select(p => p.shape switch
        {
            0 => p.name + "=" + p.value,
            1 => p.name + "=" + Uri.EscapeDataString(p.value),
            2 => p.name,
            _ => "&" + p.name + "==" + p.value,
        }));

    private static readonly Gen<string> Body = Gen.Frequency(
        (2, Gen.OneOf("grant_type=client_credentials&client_id=payments", "grant_type=client_credentials&client_id=payments&scope=api%3Aread")),
        (6, FormBody),
        (1, Gen.String[Gen.Char["{}[]\":,=&%abc\n\u0000\u00ff"], 0, 200]),
        (1, Gen.Const(string.Empty)));

    private static readonly Gen<string?> ContentType = Gen.Frequency(
        (4, Gen.Const<string?>("application/x-www-form-urlencoded")),
        (3, Gen.OneOf<string?>(
            null, "application/x-www-form-urlencoded; charset=utf-7", "application/x-www-form-urlencoded;;;;",
            "application/x-www-form-urlencoded; charset=\"", "application/x-www-form-urlencoded; charset=UTF-8",
            "application/json", "text/plain", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded, text/plain", "*/*", "")),
        (3, from parameters in Gen.String[Gen.Char[" ;=\"\t,charsetutf-87/x*\\"], 0, 30]
            select (string?)("application/x-www-form-urlencoded" + parameters)));

    private static readonly Gen<HostileRequest> Requests =
        from path in Gen.Frequency((8, Gen.OneOf("token", "introspect", "revoke")), (1, Gen.OneOf("TOKEN", "token/", "token?client_id=" + new string('q', 300), "introspect?token=x&token=y")))
        from method in Gen.Frequency((8, Gen.Const("POST")), (1, Gen.OneOf("GET", "PUT", "DELETE")))
        from contentType in ContentType
        from body in Body
        from headerBytes in Gen.Frequency((6, Gen.Const(0)), (2, Gen.Int[1, 8_000]), (1, Gen.Int[8_000, 40_000]))
        from http2 in Gen.Bool
        from withCertificate in Gen.Bool
        from publicListener in Gen.Frequency((4, Gen.Const(false)), (1, Gen.Const(true)))
        select new HostileRequest(path, method, contentType, body, headerBytes, http2, withCertificate, publicListener);

    [Fact]
    public async Task Generated_requests_never_get_a_5xx_or_a_dropped_connection_over_http1_and_http2()
    {
        var random = new PCG(12, 20_261_201); // fixed: every run sends the same requests
        var cases = Enumerable.Range(0, Count).Select(_ => Requests.Generate(random, null, out Size _)).ToList();
        using var certificate = server.Pki.IssueClient("CN=payments, OU=Treasury, O=Test Org");
        using var withCertificate = MtlsHttpClient.Create(server.Pki, certificate);
        using var withoutCertificate = MtlsHttpClient.Create(server.Pki, clientCertificate: null);
        var statuses = new Dictionary<HttpStatusCode, int>();
        var started = DateTime.UtcNow;

        for (var i = 0; i < cases.Count; i++)
        {
            var hostile = cases[i];
            using var request = hostile.ToMessage(hostile.PublicListener ? server.Host.PublicUri : server.Host.MtlsUri);
            try
            {
                using var response = await (hostile.WithCertificate ? withCertificate : withoutCertificate).SendAsync(request);
                Assert.True((int)response.StatusCode < 500, $"case {i}: {(int)response.StatusCode} for {hostile}: {await response.Content.ReadAsStringAsync()}");
                statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
            }
            catch (HttpRequestException) when (hostile.Http2 && hostile.HeaderBytes > Http2HeaderLimit)
            {
                // HTTP/2's own answer to a header block over the limits the server announced (RFC 9113 §6.5.2,
                // SETTINGS_MAX_HEADER_LIST_SIZE; §10.5.1): the client refuses to send it, or the server resets it.
            }
            catch (HttpRequestException exception)
            {
                Assert.Fail($"case {i}: the connection failed for {hostile}: {exception}");
            }
        }

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30), "the run must stay well under 30 s");
        // The run explores, rather than hitting one refusal 400 times: tokens, client and request errors, limits.
        Assert.Contains(HttpStatusCode.OK, statuses.Keys);
        Assert.Contains(HttpStatusCode.BadRequest, statuses.Keys);
        Assert.Contains(HttpStatusCode.Unauthorized, statuses.Keys);
        Assert.Contains(HttpStatusCode.RequestEntityTooLarge, statuses.Keys);
    }

    private sealed record HostileRequest(
        string Path, string Method, string? ContentType, string Body, int HeaderBytes, bool Http2, bool WithCertificate, bool PublicListener)
    {
        public HttpRequestMessage ToMessage(Uri baseUri)
        {
            var request = new HttpRequestMessage(new HttpMethod(Method), new Uri(baseUri, Path))
            {
                Version = Http2 ? HttpVersion.Version20 : HttpVersion.Version11,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body)),
            };
            request.Content.Headers.ContentType = null;
            if (ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }

            if (HeaderBytes > 0)
            {
                request.Headers.TryAddWithoutValidation("X-Padding", new string('p', HeaderBytes));
            }

            // Large bodies wait for the server's go-ahead, so a 413 is read before the upload, never raced by it.
            request.Headers.ExpectContinue = Body.Length > 32 * 1024 || HeaderBytes > 0 ? true : null;
            return request;
        }

        public override string ToString() =>
            $"{Method} /{(Path.Length > 60 ? Path[..60] + "…" : Path)} HTTP/{(Http2 ? "2" : "1.1")}, {(WithCertificate ? "certificate" : "no certificate")}, "
            + $"{(PublicListener ? "public" : "mtls")} listener, Content-Type {(ContentType is null ? "none" : $"'{ContentType}'")}, "
            + $"{HeaderBytes} header bytes, body ({Body.Length} chars) '{(Body.Length > 200 ? Body[..200] + "…" : Body)}'";
    }
}
