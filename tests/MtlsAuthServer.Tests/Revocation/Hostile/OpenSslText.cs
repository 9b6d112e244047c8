using System.Diagnostics;

namespace MtlsAuthServer.Tests.Revocation.Hostile;

/// <summary>Runs an <c>openssl</c> command that reads a file and prints text: a second, independent DER parser.</summary>
internal static class OpenSslText
{
    /// <summary>Writes <paramref name="input"/> to a temporary file, runs openssl with it in place of <c>{0}</c>, returns what it printed (stdout, then stderr, where openssl says "verify OK").</summary>
    public static async Task<string> RunAsync(byte[] input, params string[] arguments)
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(path, input);
            var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument == "{0}" ? path : argument);
            }

            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEndAsync();
            var text = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(process.ExitCode == 0, $"openssl {string.Join(' ', arguments)}: {await errors}");
            return text + await errors;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
