using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MtlsAuthServer.Data;

/// <summary>
/// The one place that turns <see cref="DatabaseOptions"/> into EF Core provider settings, used by the running
/// server and by the design-time factories (<c>dotnet ef</c>), so migrations are generated against the same model.
/// </summary>
public static class DatabaseProviders
{
    public static void UseSqlite(DbContextOptionsBuilder builder, DatabaseOptions options, SqliteWriteSerializer? writes = null)
    {
        EnsureSqliteFolder(options.ConnectionString);
        builder.UseSqlite(options.ConnectionString, sqlite => sqlite.CommandTimeout(Seconds(options.CommandTimeout)));
        if (writes is not null)
        {
            builder.AddInterceptors(writes);
        }

        builder.UseOpenIddict();
    }

    public static void UsePostgreSql(DbContextOptionsBuilder builder, DatabaseOptions options)
    {
        // Bounded connection attempts: an unreachable database must turn into a quick 503, not a hung request. After
        // a command timeout, don't also wait for the server to acknowledge the cancellation (Npgsql waits 2 s by
        // default): a server that stopped answering won't, and the broken connection is dropped anyway.
        var connection = new NpgsqlConnectionStringBuilder(options.ConnectionString)
        {
            Timeout = Seconds(options.ConnectTimeout),
            CancellationTimeout = -1,
        };
        builder.UseNpgsql(connection.ConnectionString, npgsql => npgsql
            .CommandTimeout(Seconds(options.CommandTimeout))
            .ExecutionStrategy(dependencies => new ReconnectOnceExecutionStrategy(dependencies)));
        builder.UseOpenIddict();
    }

    private static int Seconds(TimeSpan value) => Math.Max(1, (int)Math.Ceiling(value.TotalSeconds));

    private static void EnsureSqliteFolder(string connectionString)
    {
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(file) || file == ":memory:")
        {
            return;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(file));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
    }
}
