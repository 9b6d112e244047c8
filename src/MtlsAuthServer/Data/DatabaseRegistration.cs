using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Diagnostics;
using MtlsAuthServer.Hosting;

namespace MtlsAuthServer.Data;

public static class DatabaseRegistration
{
    /// <summary>The client and token store: SQLite (one instance) or PostgreSQL (several instances), chosen by <c>Database:Provider</c>.</summary>
    public static WebApplicationBuilder AddDatabase(this WebApplicationBuilder builder)
    {
        builder.Services.AddSection<DatabaseOptions>(DatabaseOptions.Section).ValidateDataAnnotations();
        // The provider decides which context type is registered, so it alone is read before the container exists; every
        // other setting comes from the validated options. A value that is no provider registers none and is refused,
        // naming the key, when the options are validated.
        var provider = builder.Configuration[$"{DatabaseOptions.Section}:{nameof(DatabaseOptions.Provider)}"];
        switch (string.IsNullOrEmpty(provider) ? DatabaseProvider.Sqlite : Enum.TryParse<DatabaseProvider>(provider, ignoreCase: true, out var parsed) ? parsed : (DatabaseProvider?)null)
        {
            // Pooled contexts: creating a DbContext per request costs more than the query it runs.
            case DatabaseProvider.Sqlite:
                builder.Services.AddSingleton<SqliteWriteSerializer>();
                builder.Services.AddDbContextPool<AuthServerDbContext, SqliteAuthServerDbContext>((services, options) =>
                    DatabaseProviders.UseSqlite(options, Settings(services), services.GetRequiredService<SqliteWriteSerializer>()));
                break;
            case DatabaseProvider.PostgreSql:
                builder.Services.AddDbContextPool<AuthServerDbContext, PostgreSqlAuthServerDbContext>((services, options) =>
                    DatabaseProviders.UsePostgreSql(options, Settings(services)));
                break;
        }

        builder.Services.AddScoped<ClientTokenRevocation>();
        builder.Services.AddSingleton<StoreReadiness>();
        builder.Services.AddSingleton<StoreMetrics>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }

    private static DatabaseOptions Settings(IServiceProvider services) => services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
}
