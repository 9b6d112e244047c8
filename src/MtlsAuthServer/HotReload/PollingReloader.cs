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
    private string? _pending;

    /// <summary>The metric/log name of the material, e.g. <c>server_certificate</c>.</summary>
    protected abstract string Material { get; }

    /// <summary>Where it comes from, for the log (file paths, configuration keys).</summary>
    protected abstract string Source { get; }

    /// <summary>A fingerprint of everything the material is loaded from; must not throw.</summary>
    protected abstract string Fingerprint();

    /// <summary>Loads, checks and swaps in the material; throws <see cref="ReloadRejectedException"/> when it must not be used.</summary>
    /// <returns>A description of what is now in use, for the log.</returns>
    protected abstract Task<string> ReloadAsync(CancellationToken cancellationToken);

    /// <summary><c>HotReload:Enabled</c>; when false the reloader never starts and material is read once at start-up.</summary>
    protected bool Enabled => options.CurrentValue.Enabled;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return Task.CompletedTask;
        }

        TakeBaseline();
        return base.StartAsync(cancellationToken);
    }

    /// <summary>The baseline is what start-up loaded (or is about to load from the same files).</summary>
    internal void TakeBaseline() => _applied = Fingerprint();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ReloadLog.Watching(logger, Material, Source, options.CurrentValue.PollInterval);
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

            await PollOnceAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>One poll: reload when the fingerprint differs from the applied one and equals the one seen last poll.</summary>
    internal async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        var current = Fingerprint();
        if (current == _applied)
        {
            _pending = null;
            return;
        }

        if (current != _pending)
        {
            // Changed since the last poll: wait one more interval for the writer to finish.
            _pending = current;
            return;
        }

        // Applied even if rejected: the same content is not tried (and logged) again until it changes.
        _applied = current;
        _pending = null;
        await TryReloadAsync(cancellationToken).ConfigureAwait(false);
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
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Whatever went wrong (database, I/O), the loop must survive: a dead watcher means no more reloads.
            metrics.Rejected(Material);
            ReloadLog.Rejected(logger, Material, Source, $"{exception.GetType().Name}: {exception.Message}");
        }
    }
}
