using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Diagnostics;

namespace MtlsAuthServer.Data;

/// <summary>
/// Brings the schema to this build's migrations (<c>Database:ApplyMigrationsAtStartup</c>), or, when an operator
/// applies them (<c>dotnet ef database update</c>), waits until they have been.
/// </summary>
public sealed class SchemaMigrator(IOptions<DatabaseOptions> options, ILogger<SchemaMigrator> logger)
{
    // Migrations may take longer than the per-request command timeout.
    private static readonly TimeSpan MigrationCommandTimeout = TimeSpan.FromMinutes(5);

    public async Task MigrateAsync(AuthServerDbContext database, CancellationToken cancellationToken)
    {
        if (database.Database.IsSqlite())
        {
            // Write-ahead logging: readers never wait for the writer (persistent in the file; see SqliteWriteSerializer).
            await database.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        // On a fresh PostgreSQL database EF Core reads the migration history before the table exists (its provider
        // catches the failure) and logs that failed query at Error level. When this instance may migrate, create the
        // empty history table first, as MigrateAsync itself would (CREATE TABLE IF NOT EXISTS, before its lock);
        // otherwise ask whether it exists.
        var history = database.GetService<IHistoryRepository>();
        database.Database.SetCommandTimeout(MigrationCommandTimeout);
        if (options.Value.ApplyMigrationsAtStartup)
        {
            await history.CreateIfNotExistsAsync(cancellationToken);
        }

        var pending = options.Value.ApplyMigrationsAtStartup || await history.ExistsAsync(cancellationToken)
            ? (await database.Database.GetPendingMigrationsAsync(cancellationToken)).ToList()
            : [.. database.Database.GetMigrations()];
        if (pending.Count == 0)
        {
            return;
        }

        if (!options.Value.ApplyMigrationsAtStartup)
        {
            throw new SchemaNotReadyException(
                $"{pending.Count} migration(s) not applied ({string.Join(", ", pending)}) and {DatabaseOptions.Section}:ApplyMigrationsAtStartup is false: apply them with 'dotnet ef database update'");
        }

        // EF Core takes a database-wide migration lock, so instances starting together apply them once.
        await database.Database.MigrateAsync(cancellationToken);
        StoreLog.MigrationsApplied(logger, string.Join(", ", pending));
    }
}
