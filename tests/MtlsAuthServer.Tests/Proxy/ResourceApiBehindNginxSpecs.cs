using System.Net;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Proxy;

/// <summary>
/// The token server and the resource API both behind the same nginx that terminates mTLS and forwards the client
/// certificate: a token obtained through nginx works at the API through nginx with the same certificate, in both
/// validation modes, and is refused with another one.
/// </summary>
public sealed class ResourceApiBehindNginxSpecs : IAsyncLifetime, IDisposable
{
    private readonly NginxEdge _edge = new();
    private ResourceApiHost _localApi = null!;
    private ResourceApiHost _introspectingApi = null!;
    private NginxProxy _apiNginx = null!;
    private NginxRoute _localRoute = null!;
    private NginxRoute _introspectionRoute = null!;

    public async Task InitializeAsync()
    {
        await _edge.InitializeAsync();
        _localApi = StartApi("Local");
        _introspectingApi = StartApi("Introspection");
        _apiNginx = new NginxProxy(_edge.Pki);
        _localRoute = Route(_apiNginx.Route("api-local"), _localApi);
        _introspectionRoute = Route(_apiNginx.Route("api-introspection"), _introspectingApi);
        _apiNginx.Start();
    }

    public Task DisposeAsync() => _edge.DisposeAsync();

    public void Dispose()
    {
        _apiNginx.Dispose();
        _localApi.Dispose();
        _introspectingApi.Dispose();
    }

    [Theory]
    [InlineData("Local")]
    [InlineData("Introspection")]
    public async Task A_token_obtained_through_nginx_is_honoured_through_nginx_only_with_its_certificate(string mode)
    {
        using var payments = _edge.ThroughNginx(_edge.Payments);
        var token = await payments.GetAccessTokenAsync("payments");
        var route = mode == "Local" ? _localRoute : _introspectionRoute;

        using var owner = ThroughApiNginx(route, _edge.Payments, token);
        using var accepted = await owner.GetAsync("api/whoami");
        using var thief = ThroughApiNginx(route, _edge.Billing, token);
        using var refused = await thief.GetAsync("api/whoami");

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("invalid_token", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        var api = mode == "Local" ? _localApi : _introspectingApi;
        Assert.Contains(api.Rejections, e => e["Reason"] == "binding_mismatch");
    }

    [Fact]
    public async Task A_forged_certificate_header_sent_straight_to_the_api_is_ignored()
    {
        using var payments = _edge.ThroughNginx(_edge.Payments);
        var token = await payments.GetAccessTokenAsync("payments");
        // Straight to the API from 127.0.0.1 (not the trusted proxy address), claiming to be payments.
        using var forger = _localApi.CreateMtlsClient(null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/whoami");
        request.Headers.Authorization = new("Bearer", token);
        request.Headers.Add("X-SSL-Client-Cert", ForwardedHeaderValues.NginxEscaped(_edge.Payments));

        using var response = await forger.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(_localApi.Logs.Events, e => e.EventId.Id == 4100);
    }

    private ResourceApiHost StartApi(string mode) => ResourceApiHost.Start(_edge.Pki, _edge.Host, mode, configure: settings =>
    {
        // The API reaches the token server through nginx too: the issuer is nginx's public URL.
        settings["TokenValidation:Issuer"] = _edge.PublicEdge.PublicUri.AbsoluteUri;
        settings["TokenValidation:Introspection:CacheDuration"] = "00:00:00";
        settings["Proxy:Mode"] = "Forwarded";
        settings["Proxy:HeaderFormat"] = "NginxEscapedPem";
        settings["Proxy:TrustedProxies:0"] = NginxEdge.ProxyAddress.ToString();
    });

    private static NginxRoute Route(NginxRoute route, ResourceApiHost api)
    {
        route.Upstream = api.Uri;
        route.BindAddress = NginxEdge.ProxyAddress;
        return route;
    }

    private HttpClient ThroughApiNginx(NginxRoute route, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, string token)
    {
        var client = MtlsHttpClient.Create(_edge.Pki, certificate);
        client.BaseAddress = route.PublicUri;
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }
}
