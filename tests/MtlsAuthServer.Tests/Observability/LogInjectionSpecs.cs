using System.Text.Json;
using MtlsAuthServer.Tests.Infrastructure;
using MtlsAuthServer.Tests.Proxy;
using MtlsAuthServer.Tests.TokenEndpoint;

namespace MtlsAuthServer.Tests.Observability;

/// <summary>
/// A value the client chose (client_id, certificate names, request path) can't forge or flood a log line: control
/// characters are escaped and long values cut, in the text and the JSON console formats alike.
/// </summary>
public sealed class LogInjectionSpecs(StandardTokenServer server) : IClassFixture<StandardTokenServer>
{
    private const string Forgery = "[12:00:00 INF] MtlsAuthServer.Audit: Client acc-good authenticated";

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\u2028")]
    [InlineData("\u0085")]
    public async Task A_line_break_in_a_client_id_is_escaped_in_the_text_and_json_output(string lineBreak)
    {
        var marker = "evil-" + string.Join('-', lineBreak.Select(c => (int)c));
        var (selfMade, _) = server.Pki.CreateSelfSigned("CN=forger", marker + ".crt");
        using var certificate = selfMade;
        using var client = server.Host.CreateMtlsClient(certificate);

        using var response = await client.RequestTokenAsync(marker + lineBreak + Forgery);

        await OAuth.AssertRejectedAsync(response, server.Host.Logs, "unknown_client", certificate);
        var escaped = string.Concat(lineBreak.Select(c => c switch { '\n' => "\\n", '\r' => "\\r", _ => $"\\u{(int)c:x4}" }));
        await Eventually.ReachesAsync(() => Task.FromResult(server.Host.FormattedLogs.Text.Contains(marker, StringComparison.Ordinal)), seen => seen, "the formatted event");

        var text = server.Host.FormattedLogs.Text.Split('\n');
        Assert.DoesNotContain(text, line => line.TrimEnd('\r').StartsWith(Forgery, StringComparison.Ordinal));
        Assert.Contains(text, line => line.Contains(marker + escaped + Forgery, StringComparison.Ordinal));

        var json = server.Host.FormattedLogs.Json.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Single(e => e.TryGetProperty("ClientId", out var id) && id.GetString()!.StartsWith(marker, StringComparison.Ordinal));
        Assert.Equal(marker + escaped + Forgery, json.GetProperty("ClientId").GetString());
        Assert.DoesNotContain(lineBreak, json.GetProperty("@m").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_long_client_id_is_logged_cut_to_128_characters_with_the_count_of_the_rest()
    {
        var (selfMade, _) = server.Pki.CreateSelfSigned("CN=long", "long.crt");
        using var certificate = selfMade;
        using var client = server.Host.CreateMtlsClient(certificate);

        using var response = await client.RequestTokenAsync("long-" + new string('L', 195));

        await OAuth.AssertRejectedAsync(response, server.Host.Logs, "unknown_client", certificate);
        var rejection = server.Host.Logs.Rejections.Single(e => e["Thumbprint"] == OAuth.Thumbprint(certificate));
        Assert.Equal("long-" + new string('L', 123) + "…(72 more)", rejection["ClientId"]);
    }

    [Fact]
    public async Task A_line_break_in_a_request_path_is_escaped_in_every_format_whoever_logs_it()
    {
        // Event 4100 of the forwarding library quotes the path of a request with a forged forwarding header.
        using var proxied = ProxiedTokenServer.Start();
        using var client = proxied.From(ProxiedTokenServer.Untrusted);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(proxied.Host.MtlsUri, "nothing%0A" + Uri.EscapeDataString(Forgery)));
        request.Headers.TryAddWithoutValidation("X-SSL-Client-Cert", ForwardedHeaderValues.NginxEscaped(proxied.Payments));

        using var response = await client.SendAsync(request);

        var logged = Assert.Single(proxied.Host.Logs.WithEventId(4100));
        Assert.Contains("nothing", logged["Path"], StringComparison.Ordinal);
        var text = await Eventually.ReachesAsync(() => Task.FromResult(proxied.Host.FormattedLogs.Text), t => t.Contains("nothing\\n", StringComparison.Ordinal), "the formatted event");
        Assert.DoesNotContain(text.Split('\n'), line => line.StartsWith(Forgery, StringComparison.Ordinal));
        var json = proxied.Host.FormattedLogs.Json.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Single(e => e.TryGetProperty("EventId", out var id) && id.GetProperty("Id").GetInt32() == 4100);
        Assert.Equal("/nothing\\n" + Forgery, json.GetProperty("Path").GetString());
        Assert.DoesNotContain('\n', json.GetProperty("@m").GetString()!);
    }
}
