using System.Net;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Revocation.Hostile;

/// <summary>The distribution point's per-path misbehaviours do what the hostile CRL specs rely on.</summary>
public sealed class StaticHttpServerBehaviourSpecs : IDisposable
{
    private readonly HttpClient _http = new();

    [Fact]
    public async Task Each_path_answers_with_its_own_status_type_or_cut_body_and_is_counted()
    {
        await using var server = await StaticHttpServer.StartAsync();
        server.Serve("plain.crl", [1, 2, 3]);
        server.Serve("typed.crl", [4], "text/html");
        server.ServeStatus("gone.crl", 503);
        server.ServeTruncated("cut.crl", HostileBodies.Garbage(100, seed: 1), declaredExtraBytes: 50);

        using var plain = await _http.GetAsync(new Uri(server.BaseUri, "plain.crl"));
        using var typed = await _http.GetAsync(new Uri(server.BaseUri, "typed.crl"));
        using var gone = await _http.GetAsync(new Uri(server.BaseUri, "gone.crl"));
        await Assert.ThrowsAsync<HttpRequestException>(() => _http.GetByteArrayAsync(new Uri(server.BaseUri, "cut.crl")));
        await Assert.ThrowsAsync<HttpRequestException>(() => _http.GetByteArrayAsync(new Uri(server.BaseUri, "cut.crl")));

        Assert.Equal("application/pkix-crl", plain.Content.Headers.ContentType?.MediaType);
        Assert.Equal([1, 2, 3], await plain.Content.ReadAsByteArrayAsync());
        Assert.Equal("text/html", typed.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, gone.StatusCode);
        Assert.Equal(2, server.RequestsFor("/cut.crl"));
        Assert.Equal(1, server.RequestsFor("gone.crl"));
        Assert.Equal(0, server.RequestsFor("never.crl"));
        Assert.Equal(5, server.RequestCount);
    }

    public void Dispose() => _http.Dispose();
}
