using System.Net;
using MtlsAuthServer.ServiceDefaults.Logging;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.ResourceApi;

/// <summary>How the API behaves at its edges: a refused handshake when configured so, a token server it can't reach, its request log.</summary>
public sealed class ResourceApiHostingSpecs(IntrospectionEnvironment environment) : IClassFixture<IntrospectionEnvironment>
{
    [Fact]
    public async Task With_RequireCertificateInHandshake_a_client_without_a_certificate_is_refused_in_the_handshake()
    {
        using var api = ResourceApiHost.Start(environment.Pki, environment.TokenServer, BoundTokenEnvironment.Local,
            configure: settings => settings["Listener:RequireCertificateInHandshake"] = "true");

        using var withoutCertificate = api.CreateMtlsClient(null);
        await Assert.ThrowsAsync<HttpRequestException>(() => withoutCertificate.GetAsync("api/whoami"));

        using var withCertificate = api.CreateMtlsClient(environment.Payments);
        using var response = await withCertificate.GetAsync("api/whoami");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Each_request_gets_its_request_log_line_through_the_hosts_own_logger()
    {
        // Through Serilog's static logger (what the middleware uses when given none) the line never reached a sink.
        using var api = ResourceApiHost.Start(environment.Pki, environment.TokenServer, BoundTokenEnvironment.Local,
            configure: settings => settings[$"Serilog:MinimumLevel:Override:{RequestLogging.Category}"] = "Information");
        using var client = api.CreateMtlsClient(environment.Payments);

        using var response = await client.GetAsync("api/whoami");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var lines = await Eventually.ReachesAsync(
            () => Task.FromResult(api.Logs.Events.Where(e => e.Category == RequestLogging.Category).ToList()),
            events => events.Count > 0, "the API's request log line");
        Assert.StartsWith("HTTP \"GET\" \"/api/whoami\" responded 401 in ", Assert.Single(lines).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(BoundTokenEnvironment.Local)]
    [InlineData(BoundTokenEnvironment.Introspection)]
    public async Task When_the_token_server_cannot_be_reached_the_api_answers_503_not_invalid_token(string mode)
    {
        using var client = environment.TokenServer.CreateMtlsClient(environment.Payments);
        var token = await client.GetAccessTokenAsync("payments");
        var nowhere = new Uri($"https://127.0.0.1:{FreePort.Next()}/");
        using var api = ResourceApiHost.Start(environment.Pki, environment.TokenServer, mode,
            configure: settings =>
            {
                settings["TokenValidation:Issuer"] = nowhere.AbsoluteUri;
                settings["TokenValidation:TokenServerTimeout"] = "00:00:01";
            });

        using var response = await BoundTokenEnvironment.CallAsync(api, environment.Payments, token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Empty(response.Headers.WwwAuthenticate);
        Assert.Single(api.Logs.WithEventId(5002));
        Assert.Empty(api.Rejections);
    }

    [Fact]
    public async Task The_benchmark_switch_really_turns_the_binding_check_off_and_says_so_at_start_up()
    {
        using var owner = environment.TokenServer.CreateMtlsClient(environment.Payments);
        var token = await owner.GetAccessTokenAsync("payments");
        using var api = ResourceApiHost.Start(environment.Pki, environment.TokenServer, BoundTokenEnvironment.Local,
            configure: settings => settings["TokenValidation:EnforceCertificateBinding"] = "false");
        using var other = environment.Pki.IssueClient("CN=someone-else, O=Test Org");

        using var replayed = await BoundTokenEnvironment.CallAsync(api, other, token);

        // What the check prevents: with it off, the replay goes through. Hence the Critical start-up event.
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        Assert.Single(api.Logs.WithEventId(5004));
    }
}
