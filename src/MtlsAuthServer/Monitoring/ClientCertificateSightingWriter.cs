using Microsoft.Extensions.Options;
using MtlsAuthServer.Data;

namespace MtlsAuthServer.Monitoring;

/// <summary>
/// Writes queued <see cref="ClientCertificateSightings"/> to the database off the request path: whatever has
/// queued up is written together, one SaveChanges per client. A failed write is logged (event 6101) and the pair is
/// queued again at a later sighting; it never reaches a client's request.
/// </summary>
public sealed partial class ClientCertificateSightingWriter(
    ClientCertificateSightings sightings,
    IServiceScopeFactory scopes,
    IOptionsMonitor<MonitoringOptions> options,
    ILogger<ClientCertificateSightingWriter> logger) : BackgroundService
{
    private const int MaxBatch = 256;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = sightings.Queue;
        var batch = new List<ClientCertificateSighting>(MaxBatch);
        try
        {
            while (await queue.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && queue.TryRead(out var sighting))
                {
                    batch.Add(sighting);
                }

                await WriteAsync(batch, stoppingToken);
                batch.Clear();
                await RefreshAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task WriteAsync(List<ClientCertificateSighting> batch, CancellationToken stoppingToken)
    {
        foreach (var client in batch.GroupBy(sighting => sighting.ClientId, StringComparer.Ordinal))
        {
            var pending = client.GroupBy(sighting => sighting.Thumbprint, StringComparer.Ordinal).Select(pair => pair.MaxBy(sighting => sighting.LastSeen)!).ToList();
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<ClientCertificateSightingStore>()
                    .RecordAsync(client.Key, pending, ClientCertificateSightings.MaxCertificatesPerClient, stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // Another instance wrote the same row meanwhile (DbUpdateException), the database is away, or anything
                // else: monitoring data must never stop the server. Written again at a later sighting.
                SightingNotRecorded(logger, client.Key, exception.GetType().Name, exception.Message);
                pending.ForEach(sightings.WriteFailed);
            }
        }
    }

    /// <summary>
    /// Also picks up what other instances recorded, for the gauges between readiness probes. At most once per refresh
    /// interval, like readiness: when many clients first authenticate, batches come one after another, and each full
    /// read is up to <see cref="ClientCertificateSightings.MaxClients"/> × 4 rows. This instance's own sightings are in
    /// memory already.
    /// </summary>
    private async Task RefreshAsync(CancellationToken stoppingToken)
    {
        try
        {
            await sightings.RefreshIfOlderThanAsync(options.CurrentValue.RegisteredClientsRefreshInterval, stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested && StoreFailure.IsUnavailable(exception))
        {
            // The next readiness probe reads them again.
        }
    }

    [LoggerMessage(EventId = 6101, EventName = "ClientCertificateNotRecorded", Level = LogLevel.Warning,
        Message = "The certificates client {ClientId} authenticated with could not be recorded in the database; retried at a later authentication ({ExceptionType}: {Detail})")]
    private static partial void SightingNotRecorded(ILogger logger, string clientId, string exceptionType, string detail);
}
