using System.Net;
using Microsoft.Extensions.Logging;
using MtlsAuthServer.Diagnostics;
using MtlsAuthServer.ServiceDefaults.Logging;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Observability;

/// <summary>
/// What an operator can do with the logs at the Production levels (Information): level or route the audit trail
/// apart from the rest by its category, read one line per OAuth request but none per probe or scrape, and start on a
/// new database without an error in the log.
/// </summary>
public sealed class LogRoutingSpecs : IDisposable
{
    private readonly TestPki _pki = TestPki.Create();
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _payments;

    public LogRoutingSpecs() => _payments = _pki.IssueClient("CN=payments,O=Test Org");

    [Fact]
    public async Task Audit_events_have_their_own_category_so_one_override_drops_the_per_token_line_and_keeps_the_rest()
    {
        using var host = Start(settings => settings[$"Serilog:MinimumLevel:Override:{ClientAuthenticationAudit.Category}"] = "Warning");
        using var payments = host.CreateMtlsClient(_payments);

        await payments.GetAccessTokenAsync("payments", "api:read");
        using var refused = await payments.RequestTokenAsync("nobody");
        await OAuth.AssertRejectedAsync(refused, host.Logs, "unknown_client", _payments);

        Assert.Empty(host.Logs.WithEventId(4000)); // one line per issued token, at Information: dropped
        Assert.Equal(ClientAuthenticationAudit.Category, Assert.Single(host.Logs.Rejections).Category); // Warning: kept
        Assert.Single(host.Logs.WithEventId(6100)); // other Information events of the server: kept
        Assert.Single(host.Logs.WithEventId(4403));
    }

    [Fact]
    public async Task The_audit_trail_at_information_names_each_issued_token_client_under_its_category()
    {
        using var host = Start();
        using var payments = host.CreateMtlsClient(_payments);

        await payments.GetAccessTokenAsync("payments", "api:read");

        var accepted = Assert.Single(host.Logs.WithEventId(4000));
        Assert.Equal(ClientAuthenticationAudit.Category, accepted.Category);
        Assert.Equal("payments", accepted["ClientId"]);
    }

    [Fact]
    public async Task Each_oauth_request_gets_a_request_log_line_and_management_requests_none()
    {
        using var host = Start();
        using var payments = host.CreateMtlsClient(_payments);
        using var management = new HttpClient { BaseAddress = host.ManagementUri, Timeout = TimeSpan.FromSeconds(30) };
        foreach (var path in new[] { "metrics", "health/ready", "health/live" })
        {
            using var response = await management.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await payments.GetAccessTokenAsync("payments", "api:read");

        var requests = await Eventually.ReachesAsync(
            () => Task.FromResult(host.Logs.Events.Where(e => e.Category == RequestLogging.Category).ToList()),
            events => events.Count > 0, "the request log line of the token request");
        var line = Assert.Single(requests);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.StartsWith("HTTP \"POST\" \"/token\" responded 200 in ", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_first_start_on_a_new_database_logs_no_error()
    {
        using var host = Start();

        Assert.Single(host.Logs.WithEventId(4405)); // the migrations were applied by this start
        Assert.DoesNotContain(host.Logs.Events, e => e.Level >= LogLevel.Error);
    }

    public void Dispose()
    {
        _payments.Dispose();
        _pki.Dispose();
    }

    /// <summary>The Production default levels (appsettings.json: Information, frameworks Warning).</summary>
    private TokenServerHost Start(Action<TokenServerSettings>? configure = null) =>
        TokenServerHost.Start(_pki, settings =>
        {
            settings["Serilog:MinimumLevel:Default"] = "Information";
            settings.AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org");
            configure?.Invoke(settings);
        });
}
