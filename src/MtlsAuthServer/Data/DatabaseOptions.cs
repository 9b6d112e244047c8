using System.ComponentModel.DataAnnotations;

namespace MtlsAuthServer.Data;

public enum DatabaseProvider
{
    /// <summary>An embedded file database: one instance only.</summary>
    Sqlite,

    /// <summary>A shared PostgreSQL database: several instances behind a load balancer.</summary>
    PostgreSql,
}

/// <summary>Configuration section <c>Database</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// For SQLite, e.g. <c>Data Source=data/mtls-auth.db</c> (the folder is created); for PostgreSQL, an Npgsql
    /// connection string, e.g. <c>Host=db;Database=mtls_auth;Username=mtls_auth;Password=...</c>.
    /// </summary>
    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/mtls-auth.db";

    /// <summary>Apply pending EF Core migrations when the instance starts (safe with several instances: EF Core takes a migration lock).</summary>
    public bool ApplyMigrationsAtStartup { get; set; } = true;

    /// <summary>PostgreSQL: how long opening a connection may take before the request is answered 503 (overrides the connection string's <c>Timeout</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one database command may run before the request is answered 503.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The <c>Retry-After</c> sent with a 503 while the database is unavailable.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often start-up work (migrations, client registry) is retried while the database is unavailable.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan StartupRetryInterval { get; set; } = TimeSpan.FromSeconds(5);
}
