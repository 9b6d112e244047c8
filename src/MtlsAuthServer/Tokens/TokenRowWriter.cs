using System.Data.Common;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Data;
using MtlsAuthServer.Diagnostics;
using OpenIddict.EntityFrameworkCore.Models;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// Group commit for token rows (<see cref="TokenStorage.Database"/>): one writer takes every row queued while its
/// previous commit ran and stores them in one transaction (<see cref="TokenRowInsert"/>), so concurrent token requests share
/// the cost of a commit instead of queueing for one each. There is no batch window: a row that arrives while the writer
/// is idle is committed at once, alone; rows only wait for the commit already under way. Each caller is released only
/// after the commit that holds its row (durability is the database's, as before), or with the error that prevented it.
/// <para>
/// A failed batch never yields a token without its row. When the database is unavailable (busy, locked, unreachable:
/// <see cref="StoreFailure"/>), every request in the batch gets that failure, and so its 503. Any other failure (a bad
/// row, a constraint) is retried row by row, so one bad row fails only its own request.
/// </para>
/// The queue is bounded: when it is full, token requests wait for room (backpressure), memory does not grow.
/// </summary>
public sealed class TokenRowWriter(IServiceScopeFactory scopes, IOptions<TokenOptions> options, StoreMetrics metrics, ILogger<TokenRowWriter> logger) : BackgroundService
{
    /// <summary>Rows queued at most; a full queue makes token requests wait (about 0.5 MB of rows at most).</summary>
    public const int QueueCapacity = 1024;

    /// <summary>Rows per transaction at most, so one commit's latency stays bounded under any load.</summary>
    public const int MaxRowsPerCommit = 128;

    private readonly Channel<PendingRow> _queue = Channel.CreateBounded<PendingRow>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private int _committingRows;
    private TokenRowInsert? _insert;
    private SqliteWriteSerializer? _sqliteWrites;

    /// <summary>Rows waiting for a commit (not counting those of the commit under way).</summary>
    public int QueuedRows => _queue.Reader.Count;

    /// <summary>Rows of the commit under way; 0 while the writer waits for rows.</summary>
    public int CommittingRows => Volatile.Read(ref _committingRows);

    /// <summary>Completes when the transaction holding <paramref name="token"/>'s row has committed; throws when it was not stored.</summary>
    public Task StoreAsync(OpenIddictEntityFrameworkCoreToken token, CancellationToken cancellationToken) =>
        StoreAsync(token, token.Application?.Id, cancellationToken);

    /// <summary>As <see cref="StoreAsync(OpenIddictEntityFrameworkCoreToken, CancellationToken)"/>, for a row that names its client by id only.</summary>
    public async Task StoreAsync(OpenIddictEntityFrameworkCoreToken token, string? applicationId, CancellationToken cancellationToken)
    {
        var row = new PendingRow(token, applicationId);
        await _queue.Writer.WriteAsync(row, cancellationToken);
        // Not cancellable: the row may be committing; the caller (OpenIddict) must not go on to sign a token before the outcome.
        await row.Outcome.Task;
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        // The web server has drained its requests by now; what is queued is still committed before the writer stops.
        _queue.Writer.TryComplete();
        return base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Storage != TokenStorage.Database)
        {
            // Self-contained tokens write no rows: no connection is held, and a row asked for anyway fails at once.
            _queue.Writer.TryComplete();
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<AuthServerDbContext>();
        _sqliteWrites = scope.ServiceProvider.GetService<SqliteWriteSerializer>();
        await using var insert = _insert = new TokenRowInsert(database);
        await KeepSqliteConnectionOpenAsync(database, stoppingToken);

        var batch = new List<PendingRow>(MaxRowsPerCommit);
        // Reads until the queue is completed (StopAsync), not until stoppingToken: queued rows are never abandoned.
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < MaxRowsPerCommit && _queue.Reader.TryRead(out var row))
            {
                batch.Add(row);
            }

            Volatile.Write(ref _committingRows, batch.Count);
            await CommitAsync(database, batch);
            Volatile.Write(ref _committingRows, 0);
            batch.Clear();
        }
    }

    /// <summary>
    /// One file, one writer: its SQLite connection stays open, so a commit does not also open a connection and set its
    /// pragmas. If that fails, EF Core opens one per commit as usual. A PostgreSQL connection is taken from Npgsql's
    /// pool per commit, so that a broken one is replaced.
    /// </summary>
    private static async Task KeepSqliteConnectionOpenAsync(AuthServerDbContext database, CancellationToken cancellationToken)
    {
        if (!database.Database.IsSqlite())
        {
            return;
        }

        try
        {
            await database.Database.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is DbException or InvalidOperationException)
        {
        }
    }

    private async Task CommitAsync(AuthServerDbContext database, List<PendingRow> batch)
    {
        try
        {
            await SaveAsync(database, batch);
            metrics.TokenRowsCommitted(batch.Count);
            foreach (var row in batch)
            {
                row.Outcome.TrySetResult();
            }
        }
        catch (Exception exception) when (batch.Count > 1 && !StoreFailure.IsUnavailable(exception))
        {
            TokenRowLog.BatchFailed(logger, batch.Count, exception.GetType().Name, exception.Message);
            foreach (var row in batch)
            {
                await CommitAloneAsync(database, row);
            }
        }
        catch (Exception exception)
        {
            TokenRowLog.RowsNotStored(logger, batch.Count, exception.GetType().Name, exception.Message);
            foreach (var row in batch)
            {
                row.Fail(exception);
            }
        }
    }

    private async Task CommitAloneAsync(AuthServerDbContext database, PendingRow row)
    {
        try
        {
            await SaveAsync(database, [row]);
            metrics.TokenRowsCommitted(1);
            row.Outcome.TrySetResult();
        }
        catch (Exception exception)
        {
            TokenRowLog.RowsNotStored(logger, 1, exception.GetType().Name, exception.Message);
            row.Fail(exception);
        }
    }

    /// <summary>
    /// One transaction for <paramref name="rows"/>, in the SQLite write queue every other write goes through, under
    /// the provider's execution strategy (PostgreSQL: once more on a new connection if the pooled one was dead).
    /// </summary>
    private async Task SaveAsync(AuthServerDbContext database, IReadOnlyList<PendingRow> rows)
    {
        var values = new TokenRowInsert.TokenRow[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            values[i] = rows[i].Values;
        }

        var strategy = database.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(() => _sqliteWrites is null
            ? InsertAsync(database, values)
            : _sqliteWrites.ExclusiveAsync(() => InsertAsync(database, values), CancellationToken.None));
    }

    private async Task<bool> InsertAsync(AuthServerDbContext database, TokenRowInsert.TokenRow[] rows)
    {
        await database.Database.OpenConnectionAsync(CancellationToken.None); // counted: the SQLite connection stays open
        try
        {
            var connection = database.Database.GetDbConnection();
            await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None);
            await _insert!.ExecuteAsync(connection, transaction, rows, database.Database.GetCommandTimeout(), CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
            return true;
        }
        finally
        {
            await database.Database.CloseConnectionAsync();
        }
    }

    private sealed class PendingRow(OpenIddictEntityFrameworkCoreToken token, string? applicationId)
    {
        public TokenRowInsert.TokenRow Values { get; } = new(token, applicationId, token.Authorization?.Id);

        // Continuations run on the thread pool, not on the writer's loop, so the next commit is not held up by responses.
        public TaskCompletionSource Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Each request gets its own exception (one instance thrown on many threads would race on its stack trace), wrapping the cause.</summary>
        public void Fail(Exception cause) => Outcome.TrySetException(new TokenRowNotStoredException(cause));
    }
}

/// <summary>The token's row was not committed, so no token may be issued; <see cref="Exception.InnerException"/> says why (a transient cause gives a 503).</summary>
public sealed class TokenRowNotStoredException(Exception cause) : Exception("The token's row could not be stored.", cause);
