using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MtlsAuthServer.Data;

/// <summary>
/// SQLite allows one writer at a time, and Microsoft.Data.Sqlite answers a busy database by sleeping 150 ms and
/// retrying, on the request thread: under concurrent token issuance that turns into stalls and thread-pool
/// starvation. One process owns the file, so writes queue here (asynchronously) instead of colliding in SQLite.
/// Each connection is also switched to <c>synchronous=NORMAL</c>, which in WAL mode (set at start-up by
/// <see cref="SchemaMigrator"/>) keeps the database consistent on power loss while skipping an fsync per commit;
/// the last commits before a crash may be lost, which for tokens means "not active": the safe direction.
/// </summary>
public sealed class SqliteWriteSerializer : DbConnectionInterceptor, ISaveChangesInterceptor, IDisposable
{
    private readonly SemaphoreSlim _writer = new(1, 1);

    /// <summary>
    /// Runs a write that does not go through SaveChanges (a bulk delete) in the same queue as every other write. The
    /// queue is not re-entrant: <paramref name="write"/> must not call SaveChanges (OpenIddict's PruneAsync deletes
    /// with ExecuteDelete; TokenPruningSpecs would hang and fail if that changed).
    /// </summary>
    public async Task<T> ExclusiveAsync<T>(Func<Task<T>> write, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            return await write();
        }
        finally
        {
            _writer.Release();
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous=NORMAL;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous=NORMAL;";
        command.ExecuteNonQuery();
    }

    public async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await _writer.WaitAsync(cancellationToken);
        return result;
    }

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        _writer.Wait();
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        _writer.Release();
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        _writer.Release();
        return result;
    }

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        _writer.Release();
        return Task.CompletedTask;
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => _writer.Release();

    public Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        _writer.Release();
        return Task.CompletedTask;
    }

    public void SaveChangesCanceled(DbContextEventData eventData) => _writer.Release();

    public void Dispose() => _writer.Dispose();
}
