using System.Diagnostics.Metrics;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using MtlsAuthServer.Pki;
using MtlsAuthServer.ResourceApi;
using MtlsAuthServer.ResourceApi.Diagnostics;

namespace MtlsAuthServer.Tests.Infrastructure;

/// <summary>
/// The real sample resource API (its ResourceApiProgram) on real Kestrel with real TLS on a free loopback port,
/// configured only through configuration keys, validating tokens of the given token server.
/// </summary>
public sealed class ResourceApiHost : WebApplicationFactory<ResourceApiProgram>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly string _folder;

    private ResourceApiHost(TestPki pki, Dictionary<string, string?> settings, string folder)
    {
        Pki = pki;
        _settings = settings;
        _folder = folder;
        Uri = new Uri($"https://127.0.0.1:{FreePort.Next()}/");
    }

    public TestPki Pki { get; }

    public Uri Uri { get; }

    public CapturedLogs Logs { get; } = new();

    /// <summary>Every event as the console writes it, in both formats (after the host's enrichers).</summary>
    public FormattedLogs FormattedLogs { get; } = new();

    public AdjustableTimeProvider Clock { get; } = new();

    /// <summary>The TokenRejected events (5001).</summary>
    public IReadOnlyList<CapturedLogEvent> Rejections => [.. Logs.WithEventId(5001)];

    /// <summary>Starts the API with <c>TokenValidation:Mode</c> = <paramref name="mode"/> (Local or Introspection) against <paramref name="tokenServer"/>;
    /// <paramref name="clientCertificateSubject"/> names its own certificate for introspection (tls_client_auth), minted from <paramref name="pki"/>;
    /// <paramref name="configure"/> may change any configuration key; <paramref name="withIssuingCa"/> stores the issuing CA
    /// after that certificate in its file, as a deployment does when the token server holds only the root.</summary>
    public static ResourceApiHost Start(
        TestPki pki, TokenServerHost tokenServer, string mode, string clientCertificateSubject = "CN=sample-resource-api, O=Test Org",
        Action<Dictionary<string, string?>>? configure = null, bool withIssuingCa = false)
    {
        var folder = Directory.CreateTempSubdirectory("mtls-api-").FullName;
        using var clientCertificate = pki.IssueClient(clientCertificateSubject);
        var certificatePath = Path.Combine(folder, "introspection-client.crt");
        var keyPath = Path.Combine(folder, "introspection-client.key");
        PemFiles.WriteCertificates(certificatePath, withIssuingCa ? [clientCertificate, pki.Issuing.Certificate] : [clientCertificate]);
        PemFiles.WritePrivateKey(keyPath, clientCertificate);

        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["ServerCertificate:Path"] = pki.ServerCertificatePath,
            ["ServerCertificate:KeyPath"] = pki.ServerKeyPath,
            ["TrustAnchors:Path"] = pki.TrustAnchorsPath,
            ["TrustAnchors:IntermediatesPath"] = pki.IntermediatesPath,
            ["TokenValidation:Mode"] = mode,
            ["TokenValidation:Issuer"] = tokenServer.PublicUri.AbsoluteUri,
            ["TokenValidation:Audience"] = "sample-resource-api",
            ["TokenValidation:Introspection:ClientId"] = "sample-resource-api",
            ["TokenValidation:Introspection:CertificatePath"] = certificatePath,
            ["TokenValidation:Introspection:KeyPath"] = keyPath,
        };
        configure?.Invoke(settings);
        var host = new ResourceApiHost(pki, settings, folder);
        host.UseKestrel();
        host.StartServer();
        return host;
    }

    /// <summary>An HttpClient to the API presenting <paramref name="certificate"/> (none when null), trusting only the test root.</summary>
    public HttpClient CreateMtlsClient(X509Certificate2? certificate)
    {
        var client = MtlsHttpClient.Create(Pki, certificate);
        client.BaseAddress = Uri;
        return client;
    }

    public MetricCollector<long> CollectTokenValidations() =>
        new(Services.GetRequiredService<IMeterFactory>(), ResourceApiMetrics.MeterName, ResourceApiMetrics.TokenValidationsName);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Listener:Url", Uri.AbsoluteUri);
        builder.UseSetting("ResourceMetadata:Resource", Uri.AbsoluteUri);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.AddSingleton<ILoggerProvider>(Logs);
            services.AddSingleton<Serilog.Core.ILogEventSink>(FormattedLogs);
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
