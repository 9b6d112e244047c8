using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace MtlsAuthServer.Data;

/// <summary>
/// Lets <c>dotnet ef</c> build the SQLite context without starting the server (which needs certificates and
/// keys). The connection string here only matters to <c>dotnet ef database update</c>; pass the real one with
/// <c>--connection</c>.
/// </summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteAuthServerDbContext>
{
    public SqliteAuthServerDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<SqliteAuthServerDbContext>();
        DatabaseProviders.UseSqlite(builder, new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = "Data Source=mtls-auth.db" });
        return new SqliteAuthServerDbContext(builder.Options);
    }
}
