using Microsoft.Extensions.Options;
using MtlsAuthServer.Data;
using MtlsAuthServer.Diagnostics;
using OpenIddict.Abstractions;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// Deletes, every <see cref="TokenOptions.PruneInterval"/>, the rows of tokens that can no longer be used (revoked or
/// expired) and were issued more than <see cref="TokenOptions.PruneRetention"/> ago, through OpenIddict's own
/// <see cref="IOpenIddictTokenManager.PruneAsync"/>. On SQLite the delete takes the in-process write queue, so it
/// waits its turn behind token inserts instead of colliding with them in SQLite. Every instance on a shared database
/// may run it: deleting rows already deleted is harmless.
/// </summary>
public sealed class ExpiredTokenPruner(
    IServiceScopeFactory scopes,
    IOptions<TokenOptions> options,
    TimeProvider time,
    StoreMetrics metrics,
    ILogger<ExpiredTokenPruner> logger,
    SqliteWriteSerializer? sqliteWrites = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.Storage != TokenStorage.Database)
        {
            return; // Self-contained tokens have no rows to prune.
        }

        using var timer = new PeriodicTimer(settings.PruneInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await PruneOnceAsync(settings, stoppingToken);
        }
    }

    private async Task PruneOnceAsync(TokenOptions settings, CancellationToken stoppingToken)
    {
        var threshold = time.GetUtcNow() - settings.PruneRetention;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var tokens = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
            var deleted = sqliteWrites is null
                ? await tokens.PruneAsync(threshold, stoppingToken)
                : await sqliteWrites.ExclusiveAsync(() => tokens.PruneAsync(threshold, stoppingToken).AsTask(), stoppingToken);
            metrics.TokensPruned(deleted);
            if (deleted > 0)
            {
                TokenPruningLog.TokensPruned(logger, deleted, threshold);
            }
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            // A failed round (database down, lock timeout) is retried at the next tick; it must not stop the server.
            TokenPruningLog.TokenPruningFailed(logger, settings.PruneInterval, exception.GetType().Name, exception.Message);
        }
    }
}
