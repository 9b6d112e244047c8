using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MtlsAuthServer.Tests.Infrastructure;

/// <summary>
/// A real nginx terminating TLS on loopback in front of a test host: its configuration, pid, logs and temp paths
/// live in a temporary folder; it runs in the foreground (<c>daemon off;</c>) as a child of the test and is killed on
/// dispose. Routes are declared first (each gets a free port, so the host can be configured with the proxy's URLs),
/// then <see cref="Start"/> writes nginx.conf and waits, bounded, until every port accepts connections.
/// </summary>
public sealed class NginxProxy : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly TestPki _pki;
    private readonly List<NginxRoute> _routes = [];
    private readonly List<string> _httpConfiguration = [];
    private readonly List<int> _ports = [];
    private readonly string _folder;
    private Process? _process;

    public NginxProxy(TestPki pki)
    {
        _pki = pki;
        _folder = Directory.CreateTempSubdirectory("mtls-nginx-").FullName;
    }

    /// <summary>/usr/sbin/nginx (Debian's nginx / nginx-light, which .ci/run installs) or the first nginx on PATH.</summary>
    public static string Executable
    {
        get
        {
            const string debian = "/usr/sbin/nginx";
            if (File.Exists(debian))
            {
                return debian;
            }

            var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(folder => Path.Combine(folder, "nginx"))
                .FirstOrDefault(File.Exists);
            return onPath ?? throw new InvalidOperationException("nginx is not installed: run .ci/run, or apt-get install nginx-light.");
        }
    }

    public string ConfigurationPath => Path.Combine(_folder, "nginx.conf");

    /// <summary>nginx's error log so far (attach it to assertion messages when a proxied request fails unexpectedly).</summary>
    public string ErrorLog => ReadShared(Path.Combine(_folder, "error.log"));

    public string AccessLog => ReadShared(Path.Combine(_folder, "access.log"));

    /// <summary>Declares a TLS server block on a free loopback port; fill in its upstream and behaviour before <see cref="Start"/>.</summary>
    public NginxRoute Route(string name)
    {
        var route = new NginxRoute(name, new Uri($"https://127.0.0.1:{FreePort.Next()}/"));
        _routes.Add(route);
        return route;
    }

    /// <summary>
    /// Adds verbatim http-context configuration (e.g. the shipped deploy/nginx/mtls-edge.conf with its paths and
    /// ports adapted) whose servers listen on <paramref name="ports"/>; <see cref="Start"/> waits for those too.
    /// </summary>
    public void AddHttpConfiguration(string configuration, params int[] ports)
    {
        _httpConfiguration.Add(configuration);
        _ports.AddRange(ports);
    }

    public void Start()
    {
        if (_process is not null)
        {
            throw new InvalidOperationException("nginx is already running.");
        }

        File.WriteAllText(ConfigurationPath, RenderConfiguration());
        var start = new ProcessStartInfo(Executable)
        {
            // -e: the error log before the configuration is read (the packaged default is a root-owned system path).
            ArgumentList = { "-p", _folder + "/", "-c", ConfigurationPath, "-e", Path.Combine(_folder, "error.log") },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start.");
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        WaitUntilListening();
    }

    public void Dispose()
    {
        if (_process is not null)
        {
            try
            {
                if (!_process.HasExited)
                {
                    // The master and its worker: nothing of this test's nginx outlives the test.
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(5_000);
                }
            }
            catch (InvalidOperationException)
            {
            }

            _process.Dispose();
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void WaitUntilListening()
    {
        var deadline = Stopwatch.StartNew();
        foreach (var port in _routes.Select(route => route.PublicUri.Port).Concat(_ports))
        {
            while (true)
            {
                if (_process!.HasExited)
                {
                    throw new InvalidOperationException($"nginx exited with code {_process.ExitCode}: {ErrorLog}\n--- nginx.conf ---\n{File.ReadAllText(ConfigurationPath)}");
                }

                try
                {
                    using var probe = new TcpClient();
                    probe.Connect(IPAddress.Loopback, port);
                    break;
                }
                catch (SocketException) when (deadline.Elapsed < StartTimeout)
                {
                    Thread.Sleep(50); // bounded polling of the port, not synchronization by sleeping
                }
                catch (SocketException exception)
                {
                    throw new TimeoutException($"nginx did not listen on port {port} within {StartTimeout}: {ErrorLog}", exception);
                }
            }
        }
    }

    private string RenderConfiguration()
    {
        var config = new StringBuilder();
        var path = (string name) => Path.Combine(_folder, name);
        // As root, nginx's workers would switch to 'nobody', who cannot read this test's 0700 temp folder.
        if (Environment.IsPrivilegedProcess)
        {
            config.AppendLine("user root;");
        }

        config.AppendLine(CultureInfo.InvariantCulture, $$"""
            daemon off;
            worker_processes 1;
            pid {{path("nginx.pid")}};
            error_log {{path("error.log")}} info;
            events { worker_connections 128; }
            http {
                access_log {{path("access.log")}};
                client_body_temp_path {{path("client_body")}};
                proxy_temp_path {{path("proxy")}};
                fastcgi_temp_path {{path("fastcgi")}};
                uwsgi_temp_path {{path("uwsgi")}};
                scgi_temp_path {{path("scgi")}};
            """);
        foreach (var route in _routes)
        {
            config.AppendLine(route.Render(_pki));
        }

        foreach (var text in _httpConfiguration)
        {
            config.AppendLine(text);
        }

        config.AppendLine("}");
        return config.ToString();
    }

    private static string ReadShared(string file)
    {
        if (!File.Exists(file))
        {
            return string.Empty;
        }

        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return new StreamReader(stream).ReadToEnd();
    }
}

/// <summary>One nginx TLS server block proxying everything to one upstream over HTTPS (re-encryption to the app).</summary>
public sealed class NginxRoute(string name, Uri publicUri)
{
    public string Name { get; } = name;

    /// <summary>What clients connect to: the externally visible URL of this route.</summary>
    public Uri PublicUri { get; } = publicUri;

    /// <summary>The app's HTTPS listener this route forwards to; its certificate is verified against the test root.</summary>
    public Uri? Upstream { get; set; }

    /// <summary>
    /// True: <c>ssl_verify_client optional_no_ca</c> — nginx asks for a certificate and forwards whatever the client
    /// proved it holds, so the app decides (and logs) trust. False: no certificate is asked for (discovery, JWKS).
    /// </summary>
    public bool RequestClientCertificate { get; set; } = true;

    /// <summary>The header nginx writes <c>$ssl_client_escaped_cert</c> into (and clears on routes without client certificates).</summary>
    public string ForwardedCertificateHeader { get; set; } = "X-SSL-Client-Cert";

    /// <summary>Source address of nginx's upstream connections (<c>proxy_bind</c>), e.g. 127.0.0.2 as the trusted proxy.</summary>
    public IPAddress? BindAddress { get; set; }

    /// <summary>Re-encryption with a proxy identity: the certificate and key nginx presents to the app.</summary>
    public (string CertificatePath, string KeyPath)? ProxyClientCertificate { get; set; }

    internal string Render(TestPki pki)
    {
        if (Upstream is null)
        {
            throw new InvalidOperationException($"nginx route '{Name}' has no upstream.");
        }

        var lines = new StringBuilder();
        lines.AppendLine(CultureInfo.InvariantCulture, $$"""
                server {
                    listen 127.0.0.1:{{PublicUri.Port}} ssl;
                    ssl_certificate {{pki.ServerCertificatePath}};
                    ssl_certificate_key {{pki.ServerKeyPath}};
                    ssl_protocols TLSv1.2 TLSv1.3;
            """);
        if (RequestClientCertificate)
        {
            // optional_no_ca tolerates only "unknown CA" errors; an expired or otherwise failing certificate would get
            // nginx's own HTML 400 (status 495). Forward those too: the app decides, answers invalid_client and logs why.
            lines.AppendLine(CultureInfo.InvariantCulture, $"""
                        ssl_verify_client optional_no_ca;
                        ssl_client_certificate {pki.TrustAnchorsPath};
                        error_page 495 = @certificate_error;
                """);
        }

        lines.Append(RenderLocation("/", pki));
        if (RequestClientCertificate)
        {
            lines.Append(RenderLocation("@certificate_error", pki));
        }

        lines.AppendLine("    }");
        return lines.ToString();
    }

    private string RenderLocation(string location, TestPki pki)
    {
        var lines = new StringBuilder();
        lines.AppendLine(CultureInfo.InvariantCulture, $$"""
                    location {{location}} {
                        proxy_pass {{Upstream!.GetLeftPart(UriPartial.Authority)}};
                        proxy_http_version 1.1;
                        proxy_set_header Host $http_host;
                        proxy_set_header X-Forwarded-For $remote_addr;
                        proxy_set_header X-Forwarded-Proto https;
                        proxy_set_header {{ForwardedCertificateHeader}} {{(RequestClientCertificate ? "$ssl_client_escaped_cert" : "\"\"")}};
                        proxy_ssl_verify on;
                        proxy_ssl_verify_depth 3;
                        proxy_ssl_trusted_certificate {{pki.TrustAnchorsPath}};
                        proxy_ssl_name localhost;
                        proxy_ssl_server_name on;
            """);
        if (BindAddress is not null)
        {
            lines.AppendLine(CultureInfo.InvariantCulture, $"            proxy_bind {BindAddress};");
        }

        if (ProxyClientCertificate is { } proxyIdentity)
        {
            lines.AppendLine(CultureInfo.InvariantCulture, $"""
                            proxy_ssl_certificate {proxyIdentity.CertificatePath};
                            proxy_ssl_certificate_key {proxyIdentity.KeyPath};
                """);
        }

        lines.AppendLine("        }");
        return lines.ToString();
    }
}
