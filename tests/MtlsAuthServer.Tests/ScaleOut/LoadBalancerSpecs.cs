using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.ScaleOut;

/// <summary>
/// The shipped L4 nginx config in front of two instances on one PostgreSQL database: TLS passes through, so the
/// client certificate reaches whichever instance gets the connection, and either instance honours the other's work.
/// </summary>
public sealed class LoadBalancerSpecs : IClassFixture<PostgresServer>, IDisposable
{
    private const int Connections = 6;

    private readonly TestPki _pki = TestPki.Create();
    private readonly SharedDeployment _deployment;

    public LoadBalancerSpecs(PostgresServer postgres) => _deployment = new SharedDeployment(postgres.CreateDatabase());

    [Fact]
    public async Task Through_the_passthrough_load_balancer_each_connection_reaches_an_instance_with_its_client_certificate()
    {
        using var first = StartInstance();
        using var second = StartInstance();
        using var proxy = await NginxStreamProxy.StartAsync(first, second);
        using var payments = _pki.IssueClient("CN=payments,O=Test Org");
        using var resource = _pki.IssueClient("CN=sample-resource-api,O=Test Org");

        var tokens = new List<string>();
        for (var i = 0; i < Connections; i++)
        {
            // A new HttpClient is a new TCP connection, which the load balancer may give to either instance.
            using var client = MtlsHttpClient.Create(_pki, payments);
            client.BaseAddress = proxy.MtlsUri;
            tokens.Add(await client.GetAccessTokenAsync("payments", "api:read"));
        }

        Assert.All(tokens, token =>
            Assert.Equal(OAuth.Thumbprint(payments), OAuth.DecodePayload(token).GetProperty("cnf").GetProperty("x5t#S256").GetString()));
        Assert.Contains(first.Logs.WithEventId(4000), e => e["ClientId"] == "payments");
        Assert.Contains(second.Logs.WithEventId(4000), e => e["ClientId"] == "payments");
        using var resourceClient = MtlsHttpClient.Create(_pki, resource);
        resourceClient.BaseAddress = proxy.MtlsUri;
        foreach (var token in tokens)
        {
            Assert.True(await resourceClient.IsActiveAsync("sample-resource-api", token));
        }
    }

    [Fact]
    public async Task Discovery_through_the_load_balancer_names_the_shared_issuer()
    {
        using var first = StartInstance();
        using var second = StartInstance();
        using var proxy = await NginxStreamProxy.StartAsync(first, second);
        using var client = MtlsHttpClient.Create(_pki, clientCertificate: null);

        using var response = await client.GetAsync(new Uri(proxy.PublicUri, ".well-known/openid-configuration"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(SharedDeployment.Issuer, document.GetProperty("issuer").GetString());
    }

    public void Dispose()
    {
        _deployment.Dispose();
        _pki.Dispose();
    }

    private TokenServerHost StartInstance() =>
        TokenServerHost.Start(_pki, settings => _deployment.Apply(settings)
            .AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org")
            .AddTlsClient("sample-resource-api", "tls_client_auth_subject_dn", "CN=sample-resource-api,O=Test Org", scope: null));
}
