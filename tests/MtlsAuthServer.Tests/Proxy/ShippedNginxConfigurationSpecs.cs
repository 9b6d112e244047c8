using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Proxy;

/// <summary>
/// deploy/nginx/mtls-edge.conf, the configuration users copy, run by a real nginx with only its paths, ports and
/// upstream host adapted to the test: it must give bound tokens, advertise its own URLs and let the app refuse.
/// </summary>
public sealed class ShippedNginxConfigurationSpecs : IDisposable
{
    private readonly TestPki _pki = TestPki.Create();
    private readonly NginxProxy _nginx;
    private readonly TokenServerHost _host;
    private readonly Uri _mtlsEdge = new($"https://127.0.0.1:{FreePort.Next()}/");
    private readonly Uri _publicEdge = new($"https://127.0.0.1:{FreePort.Next()}/");

    public ShippedNginxConfigurationSpecs()
    {
        _host = TokenServerHost.Start(_pki, settings =>
        {
            settings.AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org")
                .AddTlsClient("expired", "tls_client_auth_subject_dn", "CN=expired,O=Test Org");
            // The keys named in the file's header comment; nginx connects from 127.0.0.1 here (no proxy_bind in the file).
            settings["Proxy:Mode"] = "Forwarded";
            settings["Proxy:HeaderFormat"] = "NginxEscapedPem";
            settings["Proxy:TrustedProxies:0"] = "127.0.0.1";
            settings["Tokens:Issuer"] = _publicEdge.AbsoluteUri;
            settings["Listeners:MtlsPublicBaseUrl"] = _mtlsEdge.AbsoluteUri;
        });

        var configuration = Adapt(File.ReadAllText(ShippedFile), new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["listen 9443 ssl;"] = $"listen 127.0.0.1:{_mtlsEdge.Port} ssl;",
            ["listen 9444 ssl;"] = $"listen 127.0.0.1:{_publicEdge.Port} ssl;",
            ["token-server-edge:8443"] = $"127.0.0.1:{_host.MtlsUri.Port}",
            ["token-server-edge:8444"] = $"127.0.0.1:{_host.PublicUri.Port}",
            ["/certs/server.crt"] = _pki.ServerCertificatePath,
            ["/certs/server.key"] = _pki.ServerKeyPath,
            ["/certs/trust-anchors.pem"] = _pki.TrustAnchorsPath,
        });
        _nginx = new NginxProxy(_pki);
        _nginx.AddHttpConfiguration(configuration, _mtlsEdge.Port, _publicEdge.Port);
        _nginx.Start();
    }

    private static string ShippedFile
    {
        get
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                var candidate = Path.Combine(folder.FullName, "deploy", "nginx", "mtls-edge.conf");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new FileNotFoundException("deploy/nginx/mtls-edge.conf not found above " + AppContext.BaseDirectory);
        }
    }

    [Fact]
    public async Task The_shipped_configuration_forwards_the_certificate_and_the_token_is_bound_to_it()
    {
        using var payments = _pki.IssueClient("CN=payments,O=Test Org");
        using var client = MtlsHttpClient.Create(_pki, payments);

        using var response = await client.RequestTokenAsync(_mtlsEdge, "payments");
        using var discovery = await client.GetAsync(new Uri(_publicEdge, ".well-known/oauth-authorization-server"));

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{_nginx.ErrorLog}");
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
        Assert.Equal(OAuth.Thumbprint(payments), OAuth.DecodePayload(token).GetProperty("cnf").GetProperty("x5t#S256").GetString());
        var metadata = await discovery.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(_publicEdge.AbsoluteUri, metadata.GetProperty("issuer").GetString());
        Assert.Equal(new Uri(_mtlsEdge, "token").AbsoluteUri, metadata.GetProperty("mtls_endpoint_aliases").GetProperty("token_endpoint").GetString());
    }

    [Fact]
    public async Task An_expired_certificate_that_nginx_itself_flags_still_reaches_the_app_and_is_refused_the_oauth_way()
    {
        using var expired = _pki.IssueClient("CN=expired,O=Test Org", p => p with { NotBefore = TestPki.Now.AddDays(-30), NotAfter = TestPki.Now.AddDays(-1) });
        using var client = MtlsHttpClient.Create(_pki, expired);

        using var response = await client.RequestTokenAsync(_mtlsEdge, "expired");

        await OAuth.AssertRejectedAsync(response, _host.Logs, "certificate_expired", expired);
    }

    public void Dispose()
    {
        _nginx.Dispose();
        _host.Dispose();
        _pki.Dispose();
    }

    /// <summary>Replaces each marker, failing if one is missing: a change to the file's shape must update this test.</summary>
    private static string Adapt(string text, Dictionary<string, string> replacements)
    {
        foreach (var (marker, value) in replacements)
        {
            Assert.True(text.Contains(marker, StringComparison.Ordinal), $"deploy/nginx/mtls-edge.conf no longer contains '{marker}'");
            text = text.Replace(marker, value, StringComparison.Ordinal);
        }

        return text;
    }
}
