using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MtlsAuthServer.Certificates.Revocation;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Revocation;

/// <summary>The revocation services wired as the server wires them, over a test clock and recording HTTP.</summary>
internal sealed class RevocationServices : IDisposable
{
    private readonly ServiceProvider _provider;

    public RevocationServices()
    {
        var monitor = new FixedOptionsMonitor<RevocationOptions>(Options);
        _provider = new ServiceCollection().AddMetrics().AddLogging(logging => logging.AddProvider(Logs)).BuildServiceProvider();
        Events = new RevocationEvents(_provider.GetRequiredService<IMeterFactory>(), _provider.GetRequiredService<ILogger<RevocationEvents>>());
        Fetcher = new RevocationHttpFetcher(Http, monitor);
        Ocsp = new OcspCache(Fetcher, Time, monitor, Events);
        Crls = new CrlCache(Fetcher, Time, monitor, Events);
        Files = new OfflineCrlStore(monitor, Time, Events);
        Checker = new RevocationChecker(monitor, Crls, Files, Ocsp);
    }

    public CapturedLogs Logs { get; } = new();

    public RevocationEvents Events { get; }

    public OfflineCrlStore Files { get; }

    /// <summary>Short timeouts so a dead responder costs a second, not five.</summary>
    public RevocationOptions Options { get; } = new()
    {
        Mode = RevocationMode.Online,
        FetchTimeout = TimeSpan.FromSeconds(1),
        RefreshInterval = TimeSpan.FromSeconds(30),
        FailureCacheDuration = TimeSpan.FromSeconds(10),
    };

    public ManualTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public RecordingHttpClientFactory Http { get; } = new();

    public RevocationHttpFetcher Fetcher { get; }

    public OcspCache Ocsp { get; }

    public CrlCache Crls { get; }

    public RevocationChecker Checker { get; }

    public void Dispose()
    {
        Http.Dispose();
        _provider.Dispose();
    }
}
