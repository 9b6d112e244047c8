using System.Diagnostics;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.ScaleOut;

/// <summary>
/// Real nginx running the shipped <c>deploy/scale-out/nginx.conf</c>, with only its addresses swapped for loopback:
/// the replicas' host names for the test instances' ports, and its listen ports for free ones. Debian builds the
/// stream module as a dynamic module (package <c>libnginx-mod-stream</c>), so it is loaded explicitly.
/// </summary>
public sealed partial class NginxStreamProxy : IDisposable
{
    private const string StreamModule = "/usr/lib/nginx/modules/ngx_stream_module.so";
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(20);

    private readonly string _folder = Directory.CreateTempSubdirectory("mtls-nginx-").FullName;
    private readonly Process _process;
    private readonly StringWriter _output = new();

    private NginxStreamProxy(IReadOnlyList<Uri> mtlsUpstreams, IReadOnlyList<Uri> publicUpstreams)
    {
        MtlsUri = new Uri($"https://127.0.0.1:{FreePort.Next()}/");
        PublicUri = new Uri($"https://127.0.0.1:{FreePort.Next()}/");
        var configuration = Path.Combine(_folder, "nginx.conf");
        File.WriteAllText(configuration, Rewrite(File.ReadAllText(ShippedConfiguration()), mtlsUpstreams, publicUpstreams));

        var start = new ProcessStartInfo("nginx")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-p", _folder, "-c", configuration, "-e", "stderr", "-g", $"daemon off; pid {Path.Combine(_folder, "nginx.pid")};" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start");
        _process.OutputDataReceived += (_, e) => Record(e.Data);
        _process.ErrorDataReceived += (_, e) => Record(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri MtlsUri { get; }

    public Uri PublicUri { get; }

    /// <summary>nginx's access log (the shipped <c>l4</c> format) and error output so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<NginxStreamProxy> StartAsync(params TokenServerHost[] instances)
    {
        if (!File.Exists(StreamModule))
        {
            throw new InvalidOperationException($"{StreamModule} is missing: install libnginx-mod-stream (.ci/run does).");
        }

        var proxy = new NginxStreamProxy([.. instances.Select(i => i.MtlsUri)], [.. instances.Select(i => i.PublicUri)]);
        try
        {
            await proxy.WaitUntilListeningAsync();
            return proxy;
        }
        catch
        {
            proxy.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string ShippedConfiguration() => RepositoryFile.Find("deploy/scale-out/nginx.conf");

    private string Rewrite(string shipped, IReadOnlyList<Uri> mtlsUpstreams, IReadOnlyList<Uri> publicUpstreams)
    {
        var rewritten = ReplicaServer().Replace(shipped, match =>
        {
            var replica = int.Parse(match.Groups["replica"].Value, System.Globalization.CultureInfo.InvariantCulture) - 1;
            var upstream = match.Groups["port"].Value == "8443" ? mtlsUpstreams[replica] : publicUpstreams[replica];
            return $"server 127.0.0.1:{upstream.Port}";
        });
        rewritten = rewritten
            .Replace("listen 8443;", $"listen 127.0.0.1:{MtlsUri.Port};", StringComparison.Ordinal)
            .Replace("listen 8444;", $"listen 127.0.0.1:{PublicUri.Port};", StringComparison.Ordinal)
            .Replace("access_log /dev/stdout l4;", $"access_log {Path.Combine(_folder, "access.log")} l4;", StringComparison.Ordinal);
        return $"load_module {StreamModule};\n" + rewritten;
    }

    private async Task WaitUntilListeningAsync()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartLimit)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited with {_process.ExitCode}: {Output}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", MtlsUri.Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"nginx did not listen within {StartLimit}: {Output}");
    }

    /// <summary>The access log written so far, one line per proxied connection.</summary>
    public string AccessLog()
    {
        var path = Path.Combine(_folder, "access.log");
        return File.Exists(path) ? File.ReadAllText(path) : string.Empty;
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.WriteLine(line);
        }
    }

    [GeneratedRegex(@"server token-server-(?<replica>\d+):(?<port>844[34])")]
    private static partial Regex ReplicaServer();
}
