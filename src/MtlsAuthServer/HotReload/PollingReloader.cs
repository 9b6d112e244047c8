using Microsoft.Extensions.Options;

namespace MtlsAuthServer.HotReload;

/// <summary>
/// Polls a content fingerprint of some material and, when it changed and then held still for one more poll,
/// asks the derived class to load, check and swap it in. A rejected replacement is logged and counted once per
/// distinct content; the material in use is untouched until a later change passes its checks.
/// </summary>
public abstract class PollingReloader(IOptionsMonitor<HotReloadOptions> options, TimeProvider time, ReloadMetrics metrics, ILogger logger)
    : BackgroundService
{
    private string _applied = string.Empty;

    /// <summary>The metric/log name of the material, e.g. <c>server_certificate</c>.</summary>
    protected abstract string Material { get; }

    /// <summary>Where it comes from, for the log (file paths, configuration keys).</summary>
    protected abstract string Source { get; }

    /// <summary>A fingerprint of everything the material is loaded from; must not throw.</summary>
    protected abstract string Fingerprint();

    /// <summary>Loads, checks and swaps in the material; throws <see cref="ReloadRejectedException"/> when it must not be used.</summary>
    /// <returns>A description of what is now in use, for the log.</returns>
    protected abstract Task<string> ReloadAsync(CancellationToken cancellationToken);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // The baseline is what start-up loaded (or is about to load from the same files).
        _applied = Fingerprint();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ReloadLog.Watching(logger, Material, Source, options.CurrentValue.PollInterval);
        string? pending = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.CurrentValue.PollInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var current = Fingerprint();
            if (current == _applied)
            {
                pending = null;
                continue;
            }

            if (current != pending)
            {
                // Changed since the last poll: wait one more interval for the writer to finish.
                pending = current;
                continue;
            }

            _applied = current;
            pending = null;
            await TryReloadAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task TryReloadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var detail = await ReloadAsync(cancellationToken).ConfigureAwait(false);
            metrics.Succeeded(Material);
            ReloadLog.Reloaded(logger, Material, Source, detail);
        }
        catch (ReloadRejectedException exception)
        {
            metrics.Rejected(Material);
            ReloadLog.Rejected(logger, Material, Source, exception.Message);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Whatever went wrong (database, I/O), the loop must survive: a dead watcher means no more reloads.
            metrics.Rejected(Material);
            ReloadLog.Rejected(logger, Material, Source, $"{exception.GetType().Name}: {exception.Message}");
        }
    }
}
