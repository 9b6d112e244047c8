using MtlsAuthServer.PkiTool;

namespace MtlsAuthServer.Tests.Lifecycle;

/// <summary>One run of the real <c>mtls-pki</c> command line (its entry point, in process), with what it printed.</summary>
public sealed record PkiToolRun(int ExitCode, string Output, string Error)
{
    public IReadOnlyList<string> Lines => Output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    public static async Task<PkiToolRun> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await PkiToolProgram.RunAsync(args, output, error);
        return new PkiToolRun(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Runs the command and asserts it succeeded, showing what it printed when it did not.</summary>
    public static async Task<PkiToolRun> SucceedAsync(params string[] args)
    {
        var run = await RunAsync(args);
        Assert.True(run.ExitCode == 0, $"mtls-pki {string.Join(' ', args)} exited {run.ExitCode}: {run.Error}{run.Output}");
        return run;
    }
}
