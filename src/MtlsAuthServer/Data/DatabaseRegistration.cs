using Microsoft.Extensions.DependencyInjection.Extensions;
using MtlsAuthServer.Diagnostics;

namespace MtlsAuthServer.Data;

public static class DatabaseRegistration
{
    /// <summary>The client and token store: SQLite (one instance) or PostgreSQL (several instances), chosen by <c>Database:Provider</c>.</summary>
    public static WebApplicationBuilder AddDatabase(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // Pooled contexts: creating a DbContext per request costs more than the query it runs.
        switch (settings.Provider)
        {
            case DatabaseProvider.Sqlite:
                builder.Services.AddSingleton<SqliteWriteSerializer>();
                builder.Services.AddDbContextPool<AuthServerDbContext, SqliteAuthServerDbContext>((services, options) =>
                    DatabaseProviders.UseSqlite(options, settings, services.GetRequiredService<SqliteWriteSerializer>()));
                break;
            case DatabaseProvider.PostgreSql:
                builder.Services.AddDbContextPool<AuthServerDbContext, PostgreSqlAuthServerDbContext>(options => DatabaseProviders.UsePostgreSql(options, settings));
                break;
            default:
                throw new InvalidDataException($"{DatabaseOptions.Section}:Provider '{settings.Provider}' is not one of Sqlite, PostgreSql.");
        }

        builder.Services.AddSingleton<StoreReadiness>();
        builder.Services.AddSingleton<StoreMetrics>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }
}
