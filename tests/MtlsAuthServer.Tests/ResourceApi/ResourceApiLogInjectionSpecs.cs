using System.Net;
using System.Text.Json;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.ResourceApi;

/// <summary>
/// The resource API logs the caller's certificate names in its rejections (event 5001), and a CA that lets clients
/// choose their CN lets them put a line break there: the API writes such values escaped in both console formats,
/// through the same logging defaults as the token server (MtlsAuthServer.ServiceDefaults).
/// </summary>
public sealed class ResourceApiLogInjectionSpecs(BoundTokenEnvironment environment) : IClassFixture<BoundTokenEnvironment>
{
    private const string Forgery = "[12:00:00 INF] MtlsAuthServer.ResourceApi: Token accepted for client acc-good";

    [Fact]
    public async Task A_line_break_in_the_callers_certificate_name_is_escaped_in_the_text_and_json_output()
    {
        var api = environment.Api(BoundTokenEnvironment.Local);
        var token = await environment.TokenAsync(environment.Payments, "payments");
        // RFC 4514 takes a raw line break inside a value: the name is valid, only its rendering must be escaped.
        using var mallory = environment.TokenServer.Pki.IssueClient($"CN=mallory\n{Forgery},O=Test Org");

        using var response = await BoundTokenEnvironment.CallAsync(api, mallory, token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var text = await Eventually.ReachesAsync(() => Task.FromResult(api.FormattedLogs.Text), t => t.Contains("mallory\\n", StringComparison.Ordinal), "the formatted rejection");
        Assert.DoesNotContain(text.Split('\n'), line => line.StartsWith(Forgery, StringComparison.Ordinal));
        var rejection = api.FormattedLogs.Json.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Last(e => e.TryGetProperty("EventId", out var id) && id.GetProperty("Id").GetInt32() == 5001);
        Assert.Contains("mallory\\n", rejection.GetProperty("Subject").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain('\n', rejection.GetProperty("@m").GetString()!);
    }
}
