using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace MtlsAuthServer.Data;

/// <summary>
/// Lets <c>dotnet ef</c> build the PostgreSQL context without starting the server. Generating migrations needs
/// no database; <c>dotnet ef database update</c> takes the real connection string with <c>--connection</c>.
/// </summary>
public sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlAuthServerDbContext>
{
    public PostgreSqlAuthServerDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<PostgreSqlAuthServerDbContext>();
        DatabaseProviders.UsePostgreSql(builder, new DatabaseOptions
        {
            Provider = DatabaseProvider.PostgreSql,
            ConnectionString = "Host=localhost;Database=mtls_auth;Username=mtls_auth",
        });
        return new PostgreSqlAuthServerDbContext(builder.Options);
    }
}
