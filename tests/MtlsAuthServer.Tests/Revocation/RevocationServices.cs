using MtlsAuthServer.Certificates.Revocation;

namespace MtlsAuthServer.Tests.Revocation;

/// <summary>The revocation services wired as the server wires them, over a test clock and recording HTTP.</summary>
internal sealed class RevocationServices : IDisposable
{
    public RevocationServices()
    {
        var monitor = new FixedOptionsMonitor<RevocationOptions>(Options);
        Fetcher = new RevocationHttpFetcher(Http, monitor);
        Ocsp = new OcspCache(Fetcher, Time, monitor);
        Crls = new CrlCache(Fetcher, Time, monitor);
        Checker = new RevocationChecker(monitor, Crls, new OfflineCrlStore(monitor, Time), Ocsp);
    }

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

    public void Dispose() => Http.Dispose();
}
