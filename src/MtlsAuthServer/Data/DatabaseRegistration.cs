using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace MtlsAuthServer.Data;

public static class DatabaseRegistration
{
    public static WebApplicationBuilder AddDatabase(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddDbContext<AuthServerDbContext>(options =>
        {
            switch (settings.Provider)
            {
                case DatabaseProvider.Sqlite:
                    EnsureSqliteFolder(settings.ConnectionString);
                    options.UseSqlite(settings.ConnectionString);
                    break;
                default:
                    throw new InvalidDataException($"{DatabaseOptions.Section}:Provider '{settings.Provider}' is not available in this build.");
            }

            options.UseOpenIddict();
        });
        return builder;
    }

    private static void EnsureSqliteFolder(string connectionString)
    {
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var folder = Path.GetDirectoryName(Path.GetFullPath(file));
        if (!string.IsNullOrEmpty(file) && file != ":memory:" && !string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
    }
}
