using System.Diagnostics;
using MtlsAuthServer.Diagnostics;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Lifecycle;

/// <summary>What one <c>diagnose</c> run printed, and its exit code.</summary>
public sealed record DiagnoseRun(int ExitCode, string Output)
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(90);

    public IReadOnlyList<string> Lines => Output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The printed line of one check, e.g. <c>FAIL  revocation   certificate_revoked: ...</c>.</summary>
    public string Check(string name) =>
        Lines.SingleOrDefault(line => line.Length > 6 && line[6..].StartsWith(name + " ", StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"no '{name}' line in:\n{Output}");

    /// <summary>
    /// The diagnose command with the services of a running test host (its configuration, database and caches):
    /// what the command does after building the server, without paying a process start per case.
    /// </summary>
    public static async Task<DiagnoseRun> InProcessAsync(TokenServerHost host, params string[] arguments)
    {
        Assert.True(DiagnoseArguments.TryParse(arguments, out var parsed, out var error), error);
        using var output = new StringWriter();
        var exitCode = await DiagnoseCommand.RunAsync(host.Services, parsed, output);
        return new DiagnoseRun(exitCode, output.ToString());
    }

    /// <summary>
    /// <c>MtlsAuthServer diagnose</c> as its own process (the built server assembly, as an operator runs it),
    /// with exactly the configuration of a running test host, passed as environment variables.
    /// </summary>
    public static Task<DiagnoseRun> ProcessAsync(TokenServerHost host, params string[] arguments) => CommandProcessAsync(host, DiagnoseCommand.Verb, arguments);

    /// <summary>A command of the server (<c>diagnose</c>, <c>clients</c>) as its own process, with the configuration of a running test host.</summary>
    public static async Task<DiagnoseRun> CommandProcessAsync(TokenServerHost host, string verb, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MtlsAuthServer.dll"));
        start.ArgumentList.Add(verb);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = TokenServerHost.EnvironmentName;
        foreach (var (key, value) in host.Configuration)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ProcessTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{verb} did not finish within {ProcessTimeout}: {await output}{await error}");
        }

        return new DiagnoseRun(process.ExitCode, await output + await error);
    }
}
