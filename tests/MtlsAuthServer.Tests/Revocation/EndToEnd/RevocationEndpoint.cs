using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Revocation.EndToEnd;

/// <summary>A token server in Online revocation mode on a clock the spec moves, with its CRL distribution points on loopback.</summary>
internal sealed class RevocationEndpoint : IAsyncDisposable
{
    public const string ClientId = "payments";
    public const string ClientSubject = "CN=payments,O=Test Org";

    private RevocationEndpoint(StaticHttpServer crls, TestPki pki) => (Crls, Pki) = (crls, pki);

    public StaticHttpServer Crls { get; }

    public TestPki Pki { get; }

    public AdjustableTimeProvider Clock { get; } = new();

    public Uri IssuingCrlUri => new(Crls.BaseUri, "issuing.crl");

    public static async Task<RevocationEndpoint> StartAsync(bool issuingCaNamesCrl = true)
    {
        var crls = await StaticHttpServer.StartAsync();
        var endpoint = new RevocationEndpoint(crls, TestPki.Create(crls.BaseUri, issuingCaNamesCrl: issuingCaNamesCrl));
        crls.Serve("root.crl", endpoint.Pki.RootCrl());
        return endpoint;
    }

    public TokenServerHost StartHost(Action<TokenServerSettings>? configure = null) => TokenServerHost.Start(Pki, settings =>
    {
        settings.AddTlsClient(ClientId, "tls_client_auth_subject_dn", ClientSubject);
        settings["Revocation:Mode"] = "Online";
        settings["Revocation:FetchTimeout"] = "00:00:05"; // generous: a loaded CI machine must not turn a good fetch into "unknown"
        settings.TimeProvider = Clock;
        // Loads and recoveries are Information events; the test host logs Warning and above by default.
        settings["Serilog:MinimumLevel:Override:MtlsAuthServer.Certificates.Revocation"] = "Information";
        configure?.Invoke(settings);
    });

    /// <summary>The readiness report's revocation check.</summary>
    public static async Task<JsonElement> RevocationHealthAsync(TokenServerHost host)
    {
        using var client = new HttpClient { BaseAddress = host.ManagementUri };
        using var response = await client.GetAsync("health/ready");
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        return report.GetProperty("checks").GetProperty("revocation");
    }

    public static async Task AssertAcceptedAsync(HttpClient client)
    {
        using var response = await client.RequestTokenAsync(ClientId, "api:read");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        await Crls.DisposeAsync();
        Pki.Dispose();
    }
}
