using System.Net;
using Microsoft.Extensions.DependencyInjection;
using MtlsAuthServer.Clients;
using MtlsAuthServer.Hosting;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.TokenEndpoint;

/// <summary>
/// Every OAuth parameter has a documented maximum length (<see cref="OAuthParameterLimits"/>); a longer value is
/// refused with 400 invalid_request before any registration lookup, so no certificate, even a self-made one, can
/// make the server remember, look up or log made-up client_ids of any size.
/// </summary>
public sealed class ParameterLengthSpecs(StandardTokenServer server) : IClassFixture<StandardTokenServer>
{
    private RegisteredClientSnapshots Snapshots => server.Host.Services.GetRequiredService<RegisteredClientSnapshots>();

    [Fact]
    public async Task A_60000_character_client_id_is_refused_before_any_lookup_and_leaves_no_trace_in_the_cache()
    {
        using var certificate = server.Pki.CreateSelfSigned("CN=nobody", "nobody.crt").Certificate; // registered nowhere
        using var client = server.Host.CreateMtlsClient(certificate);
        var cached = Snapshots.Count;

        for (var i = 0; i < 20; i++)
        {
            using var response = await client.RequestTokenAsync(i + new string('x', 60_000));

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("invalid_request", await response.ErrorAsync());
        }

        Assert.Equal(cached, Snapshots.Count);
        Assert.DoesNotContain(server.Host.Logs.Rejections, e => e["Thumbprint"] == OAuth.Thumbprint(certificate));
        var refusals = server.Host.Logs.WithEventId(4500).Where(e => e["Detail"] == "The 'client_id' parameter is longer than 256 characters.").ToList();
        Assert.Equal(20, refusals.Count);
        Assert.All(refusals, e => Assert.Equal("parameter_too_long", e["Problem"]));
        Assert.All(refusals, e => Assert.True(e.Message.Length < 400, e.Message));
    }

    [Fact]
    public async Task Unknown_client_ids_within_the_limit_are_refused_as_unknown_client_and_never_cached()
    {
        using var certificate = server.Pki.CreateSelfSigned("CN=nobody", "nobody-2.crt").Certificate; // registered nowhere
        using var client = server.Host.CreateMtlsClient(certificate);
        var cached = Snapshots.Count;

        for (var i = 0; i < 30; i++)
        {
            using var response = await client.RequestTokenAsync($"made-up-{i:D2}-" + new string('y', OAuthParameterLimits.ClientId - 11));

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("invalid_client", await response.ErrorAsync());
        }

        Assert.Equal(cached, Snapshots.Count);
        var rejections = server.Host.Logs.Rejections.Where(e => e["Thumbprint"] == OAuth.Thumbprint(certificate)).ToList();
        Assert.Equal(30, rejections.Count);
        Assert.All(rejections, e => Assert.Equal("unknown_client", e["Reason"]));
        // The logged client_id is cut to 128 characters and says how much was left out.
        Assert.All(rejections, e => Assert.Equal(128 + "…(128 more)".Length, e["ClientId"]!.Length));
        Assert.All(rejections, e => Assert.EndsWith("…(128 more)", e["ClientId"], StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("token", "client_id", 256)]
    [InlineData("token", "grant_type", 64)]
    [InlineData("token", "scope", 1024)]
    [InlineData("token", "client_assertion_type", 256)]
    [InlineData("token", "unknown_parameter", 1024)]
    [InlineData("introspect", "token", 4096)]
    [InlineData("introspect", "token_type_hint", 64)]
    [InlineData("revoke", "token", 4096)]
    public async Task A_parameter_one_character_over_its_limit_is_refused_with_invalid_request(string path, string parameter, int limit)
    {
        Assert.Equal(limit, OAuthParameterLimits.For(parameter));
        using var certificate = server.Pki.IssueClient("CN=payments, OU=Treasury, O=Test Org");
        using var client = server.Host.CreateMtlsClient(certificate);
        var pairs = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = "payments", ["token"] = "x" };
        pairs[parameter] = new string('a', limit + 1);

        using var response = await client.PostAsync(path, OAuth.Form([.. pairs.Select(p => (p.Key, p.Value))]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", await response.ErrorAsync());
    }

    [Fact]
    public async Task A_client_id_at_the_limit_reaches_client_authentication()
    {
        using var certificate = server.Pki.IssueClient("CN=payments, OU=Treasury, O=Test Org");
        using var client = server.Host.CreateMtlsClient(certificate);

        using var response = await client.RequestTokenAsync(new string('z', OAuthParameterLimits.ClientId));

        await OAuth.AssertRejectedAsync(response, server.Host.Logs, "unknown_client", certificate);
    }

    [Fact]
    public async Task An_oversized_client_id_in_the_query_of_an_introspection_request_is_refused_too()
    {
        using var certificate = server.Pki.IssueClient("CN=payments, OU=Treasury, O=Test Org");
        using var client = server.Host.CreateMtlsClient(certificate);

        using var response = await client.GetAsync("introspect?token=x&client_id=" + new string('q', 4000));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", await response.ErrorAsync());
    }
}
