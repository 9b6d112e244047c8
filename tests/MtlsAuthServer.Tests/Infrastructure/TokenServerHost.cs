using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using MtlsAuthServer.Diagnostics;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Tests.Infrastructure;

/// <summary>
/// The real token server (its Program) on real Kestrel with real TLS on free loopback ports, configured only
/// through configuration keys, with its own database file, keys and captured logs.
/// </summary>
public sealed class TokenServerHost : WebApplicationFactory<Program>
{
    private readonly TokenServerSettings _settings;
    private readonly string _folder;

    private TokenServerHost(TestPki pki, TokenServerSettings settings)
    {
        Pki = pki;
        _settings = settings;
        _folder = Directory.CreateTempSubdirectory("mtls-host-").FullName;
        MtlsUri = new Uri($"https://127.0.0.1:{FreePort.Next()}/");
        PublicUri = new Uri($"https://127.0.0.1:{FreePort.Next()}/");
        // A test may fix the management URL up front (certificates minted before start-up name it as their CRL endpoint).
        ManagementUri = new Uri(settings["Listeners:Management"] ?? $"http://127.0.0.1:{FreePort.Next()}/");
    }

    public TestPki Pki { get; }

    public Uri MtlsUri { get; }

    public Uri PublicUri { get; }

    public Uri ManagementUri { get; }

    public CapturedLogs Logs { get; } = new();

    /// <summary>The same events as Serilog formats them for the console (text and JSON), after the host's enrichers.</summary>
    public FormattedLogs FormattedLogs { get; } = new();

    /// <summary>The host's configuration keys and values once it started (to run the server's own commands, e.g. diagnose, with the same configuration).</summary>
    public IReadOnlyDictionary<string, string?> Configuration { get; private set; } = new Dictionary<string, string?>();

    /// <summary>The environment name the host runs in.</summary>
    public const string EnvironmentName = "Testing";

    public static TokenServerHost Start(TestPki pki, Action<TokenServerSettings>? configure = null)
    {
        var settings = new TokenServerSettings();
        settings.AddScope("api:read", "sample-resource-api").AddScope("api:write", "sample-resource-api");
        configure?.Invoke(settings);
        var host = new TokenServerHost(pki, settings);
        host.UseKestrel();
        try
        {
            host.StartServer();
        }
        catch
        {
            host.Dispose(); // A start that failed leaves nothing behind: no factory, no folder.
            throw;
        }

        return host;
    }

    /// <summary>An HttpClient to the mTLS listener presenting <paramref name="certificate"/> (and intermediates).</summary>
    public HttpClient CreateMtlsClient(System.Security.Cryptography.X509Certificates.X509Certificate2? certificate, params System.Security.Cryptography.X509Certificates.X509Certificate2[] intermediates)
    {
        var client = MtlsHttpClient.Create(Pki, certificate, intermediates);
        client.BaseAddress = MtlsUri;
        return client;
    }

    public MetricCollector<long> CollectAuthentications() =>
        new(Services.GetRequiredService<IMeterFactory>(), AuthenticationMetrics.MeterName, AuthenticationMetrics.ClientAuthenticationsName);

    /// <summary>Requests refused before client authentication (<c>mtls_auth.oauth_requests_refused</c>).</summary>
    public MetricCollector<long> CollectRequestRefusals() =>
        new(Services.GetRequiredService<IMeterFactory>(), AuthenticationMetrics.MeterName, OAuthRequestRefusals.RefusalsName);

    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = builder.Build();
        _settings.BeforeStart?.Invoke(host);
        host.Start();
        return host;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var signingKey = Path.Combine(_folder, "signing.key");
        using (var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            PemFiles.WriteSecret(signingKey, ecdsa.ExportPkcs8PrivateKeyPem());
        }

        var encryptionKey = Path.Combine(_folder, "encryption.key");
        PemFiles.WriteSecret(encryptionKey, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Listeners:Mtls"] = MtlsUri.AbsoluteUri,
            ["Listeners:Public"] = PublicUri.AbsoluteUri,
            ["Listeners:Management"] = ManagementUri.AbsoluteUri,
            ["ServerCertificate:Path"] = Pki.ServerCertificatePath,
            ["ServerCertificate:KeyPath"] = Pki.ServerKeyPath,
            ["TrustAnchors:Path"] = Pki.TrustAnchorsPath,
            ["TrustAnchors:IntermediatesPath"] = Pki.IntermediatesPath,
            ["Revocation:Mode"] = "NoCheck",
            ["Revocation:FetchTimeout"] = "00:00:01",
            ["Tokens:SigningKey:Path"] = signingKey,
            ["Tokens:EncryptionKeyPath"] = encryptionKey,
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(_folder, "auth.db")};Pooling=False",
        };
        foreach (var (key, value) in _settings.Values)
        {
            values[key] = value;
        }

        Configuration = values;
        builder.UseEnvironment(EnvironmentName);
        foreach (var (key, value) in values)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration(configuration =>
        {
            foreach (var file in _settings.JsonFiles)
            {
                configuration.AddJsonFile(file, optional: false, reloadOnChange: true);
            }
        });
        builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(Logs).AddSingleton<Serilog.Core.ILogEventSink>(FormattedLogs));
        if (_settings.TimeProvider is { } time)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(time));
        }
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
