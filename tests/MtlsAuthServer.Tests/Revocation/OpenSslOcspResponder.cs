using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace MtlsAuthServer.Tests.Revocation;

/// <summary>
/// A real <c>openssl ocsp</c> responder over an index file, on a port chosen by the test; killed on dispose.
/// </summary>
/// <remarks>
/// Readiness is read from the responder's own "waiting for OCSP client connections" line, not probed with a TCP
/// connect: OpenSSL 3.0's responder spins at full CPU and stops answering after a client connects and closes
/// without sending a request.
/// </remarks>
internal sealed class OpenSslOcspResponder : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private OpenSslOcspResponder(Process process) => _process = process;

    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>Starts a responder that answers for <paramref name="caCertificate"/>'s certificates and signs with the given pair.</summary>
    public static async Task<OpenSslOcspResponder> StartAsync(
        string folder, int port, string caCertificate, string signerCertificate, string signerKey)
    {
        var start = new ProcessStartInfo("openssl")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // OpenSSL 3.0 takes a bare port number here and listens on all interfaces ([::]).
        foreach (var argument in new[]
        {
            "ocsp", "-index", "index.txt", "-port", port.ToString(CultureInfo.InvariantCulture),
            "-rsigner", signerCertificate, "-rkey", signerKey, "-CA", caCertificate, "-nmin", "1",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var responder = new OpenSslOcspResponder(process);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(object sender, DataReceivedEventArgs line)
        {
            if (line.Data is null)
            {
                return;
            }

            responder._output.Enqueue(line.Data);
            if (line.Data.Contains("waiting for OCSP client connections", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        }

        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("openssl ocsp exited before it was ready."));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await ready.Task.WaitAsync(StartTimeout);
        }
        catch (Exception exception) when (exception is TimeoutException or InvalidOperationException)
        {
            responder.Dispose();
            throw new InvalidOperationException($"openssl ocsp did not start on port {port}: {exception.Message}\n{responder.Output}", exception);
        }

        return responder;
    }

    /// <summary>Kills the responder; the port stops accepting connections once this returns.</summary>
    public void Stop()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    public void Dispose()
    {
        try
        {
            Stop();
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        _process.Dispose();
    }
}
