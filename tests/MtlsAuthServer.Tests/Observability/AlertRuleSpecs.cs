using System.Diagnostics;
using System.Text.RegularExpressions;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Observability;

/// <summary>
/// deploy/prometheus/mtls-auth-alerts.yml: valid for Prometheus (<c>promtool check rules</c>), firing as its unit test
/// file says (<c>promtool test rules</c>), and naming only metrics a running server really exports.
/// </summary>
public sealed partial class AlertRuleSpecs
{
    private static string Folder => Path.GetDirectoryName(RepositoryFile.Find("deploy/prometheus/mtls-auth-alerts.yml"))!;

    [Fact]
    public async Task The_rules_load_and_fire_as_their_unit_tests_expect()
    {
        var check = await PromtoolAsync("check", "rules", "mtls-auth-alerts.yml");
        var test = await PromtoolAsync("test", "rules", "mtls-auth-alerts.test.yml");

        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Contains("SUCCESS: 8 rules found", check.Output, StringComparison.Ordinal);
        Assert.True(test.ExitCode == 0, test.Output);
    }

    [Fact]
    public async Task Every_metric_the_rules_name_is_exported_by_a_running_server()
    {
        using var server = KnownDatesServer.Create();
        var scrape = await PrometheusScrape.FetchAsync(server.Host);
        var rules = await File.ReadAllTextAsync(Path.Combine(Folder, "mtls-auth-alerts.yml"));

        var named = MetricName().Matches(rules).Select(match => match.Value).Distinct().ToList();

        Assert.NotEmpty(named);
        // Counters appear once something was counted; the rules only use the fetch counter's rollback outcome.
        foreach (var metric in named.Where(name => !name.EndsWith("_total", StringComparison.Ordinal)))
        {
            Assert.True(scrape.Named(metric).Count > 0, $"{metric} is not in the scrape:\n{scrape.Text}");
        }
    }

    private static async Task<(int ExitCode, string Output)> PromtoolAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("promtool") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }

        return (process.ExitCode, await output + await error);
    }

    [GeneratedRegex(@"mtls_auth_[a-z_]+")]
    private static partial Regex MetricName();
}
