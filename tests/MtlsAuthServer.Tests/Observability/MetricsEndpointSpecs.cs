using System.Net;
using System.Net.Sockets;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Observability;

/// <summary><c>/metrics</c>: only on the management listener, with authentication and handshake counters.</summary>
public sealed class MetricsEndpointSpecs : IDisposable
{
    private const string Authentications = "mtls_auth_client_authentications_total";
    private const string Handshakes = "mtls_auth_tls_handshakes_total";

    private readonly TestPki _pki = TestPki.Create();

    [Fact]
    public async Task Metrics_and_health_are_not_served_on_the_mtls_and_public_listeners()
    {
        using var host = TokenServerHost.Start(_pki);
        using var certificate = _pki.IssueClient("CN=payments,O=Test Org");
        using var mtls = host.CreateMtlsClient(certificate);
        using var publicClient = MtlsHttpClient.Create(_pki, null);
        publicClient.BaseAddress = host.PublicUri;

        foreach (var path in new[] { "metrics", "health/ready", "health/live" })
        {
            using var onMtls = await mtls.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, onMtls.StatusCode);
            using var onPublic = await publicClient.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, onPublic.StatusCode);
        }

        var scrape = await PrometheusScrape.FetchAsync(host);
        Assert.NotEmpty(scrape.Named("mtls_auth_certificate_expiry_remaining_seconds"));
        Assert.Equal("mtls-auth-server", scrape.Named("target_info").Single()["service_name"]);
    }

    [Fact]
    public async Task A_host_header_naming_the_management_port_does_not_open_metrics_on_the_client_listeners()
    {
        using var host = TokenServerHost.Start(_pki);
        using var certificate = _pki.IssueClient("CN=payments,O=Test Org");
        using var mtls = host.CreateMtlsClient(certificate);
        using var request = new HttpRequestMessage(HttpMethod.Get, "metrics");
        request.Headers.Host = $"127.0.0.1:{host.ManagementUri.Port}";

        using var response = await mtls.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Authentications_are_counted_by_outcome_and_rejection_reason()
    {
        using var host = TokenServerHost.Start(_pki, s => s.AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org"));
        using var good = _pki.IssueClient("CN=payments,O=Test Org");
        using var impostor = _pki.IssueClient("CN=someone-else,O=Test Org");
        using (var client = host.CreateMtlsClient(good))
        {
            _ = await client.GetAccessTokenAsync("payments");
        }

        using (var client = host.CreateMtlsClient(impostor))
        {
            using var refused = await client.RequestTokenAsync("payments");
            await OAuth.AssertRejectedAsync(refused, host.Logs, "identity_mismatch", impostor);
            using var unknown = await client.RequestTokenAsync("nobody");
            Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        }

        var scrape = await PrometheusScrape.FetchAsync(host);

        Assert.Equal(1, scrape.One(Authentications, ("outcome", "success"), ("auth_method", "tls_client_auth"), ("endpoint", "token")).Value);
        Assert.Equal(1, scrape.One(Authentications, ("outcome", "failure"), ("reason", "identity_mismatch"), ("endpoint", "token")).Value);
        Assert.Equal(1, scrape.One(Authentications, ("outcome", "failure"), ("reason", "unknown_client")).Value);
    }

    [Fact]
    public async Task Handshakes_on_the_mtls_listener_are_counted_with_and_without_a_client_certificate_and_when_they_fail()
    {
        using var host = TokenServerHost.Start(_pki);
        using var certificate = _pki.IssueClient("CN=payments,O=Test Org");
        using (var withCertificate = host.CreateMtlsClient(certificate))
        using (var response = await withCertificate.RequestTokenAsync("payments"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using (var withoutCertificate = host.CreateMtlsClient(null))
        using (var response = await withoutCertificate.RequestTokenAsync("payments"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        await SendGarbageInsteadOfTlsAsync(host.MtlsUri);

        // The failure is counted when Kestrel closes the connection: poll for it, bounded.
        var scrape = await Eventually.ReachesAsync(
            () => PrometheusScrape.FetchAsync(host),
            metrics => metrics.Sum(Handshakes, ("listener", "mtls"), ("outcome", "failed")) >= 1, "the failed handshake in the scrape");

        Assert.Equal(1, scrape.Sum(Handshakes, ("listener", "mtls"), ("outcome", "client_certificate")));
        Assert.Equal(1, scrape.Sum(Handshakes, ("listener", "mtls"), ("outcome", "no_client_certificate")));
        Assert.Equal(1, scrape.Sum(Handshakes, ("listener", "mtls"), ("outcome", "failed")));
    }

    public void Dispose() => _pki.Dispose();

    /// <summary>A plain-text HTTP request to the TLS port: the handshake fails and the server closes the connection.</summary>
    private static async Task SendGarbageInsteadOfTlsAsync(Uri uri)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, uri.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync("GET /token HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
        var buffer = new byte[256];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (await stream.ReadAsync(buffer, timeout.Token) > 0)
        {
        }
    }
}
