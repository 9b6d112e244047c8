using Microsoft.Extensions.Options;
using MtlsAuthServer.Clients;
using MtlsAuthServer.Data;
using MtlsAuthServer.Diagnostics;

namespace MtlsAuthServer.Hosting;

/// <summary>
/// Start-up database work: migrations, then the client registry. The first attempt runs before the listeners
/// open, so a healthy database gives a ready instance and a configuration error stops start-up. When the database
/// is unavailable, the instance starts anyway, not ready (503 at the OAuth endpoints, /health/ready unhealthy),
/// and retries every <c>Database:StartupRetryInterval</c> until it succeeds.
/// </summary>
public sealed class StoreStartup(
    IServiceScopeFactory scopes,
    SchemaMigrator migrator,
    ClientRegistrySynchronizer registry,
    StoreReadiness readiness,
    IOptions<DatabaseOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<StoreStartup> logger) : IHostedService
{
    private Task? _retrying;
    private int _attempts;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!await TryOnceAsync(cancellationToken))
        {
            _retrying = RetryAsync(lifetime.ApplicationStopping);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // ApplicationStopping has fired by now, which ends the retry loop.
        if (_retrying is not null)
        {
            await _retrying.WaitAsync(cancellationToken);
        }
    }

    private async Task RetryAsync(CancellationToken cancellationToken)
    {
        try
        {
            do
            {
                await Task.Delay(options.Value.StartupRetryInterval, time, cancellationToken);
            }
            while (!await TryOnceAsync(cancellationToken));
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: whatever the interrupted attempt threw no longer matters.
        }
        catch (Exception exception)
        {
            // Same outcome as a failing first attempt, only later: a misconfiguration must not leave a zombie instance.
            readiness.MarkNotReady("start-up database work failed: " + exception.Message);
            StoreLog.StartupFailed(logger, exception);
            lifetime.StopApplication();
        }
    }

    /// <returns>False when the database is unavailable (or not migrated yet) and the work must be retried.</returns>
    private async Task<bool> TryOnceAsync(CancellationToken cancellationToken)
    {
        _attempts++;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await migrator.MigrateAsync(scope.ServiceProvider.GetRequiredService<AuthServerDbContext>(), cancellationToken);
            var registryState = await registry.SynchronizeAsync(scope.ServiceProvider, cancellationToken);
            readiness.MarkReady();
            StoreLog.StoreReady(logger, _attempts, registryState);
            return true;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested
            && (StoreFailure.IsUnavailable(exception) || exception is SchemaNotReadyException))
        {
            var cause = StoreFailure.FindCause(exception) ?? exception;
            readiness.MarkNotReady($"start-up database work has not completed (attempt {_attempts}: {cause.GetType().Name})");
            StoreLog.StartupDeferred(logger, _attempts, options.Value.StartupRetryInterval, cause.GetType().Name, cause.Message);
            return false;
        }
    }
}
