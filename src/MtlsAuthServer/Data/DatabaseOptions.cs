using System.ComponentModel.DataAnnotations;

namespace MtlsAuthServer.Data;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}

/// <summary>Configuration section <c>Database</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>For SQLite, e.g. <c>Data Source=data/mtls-auth.db</c> (the folder is created).</summary>
    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/mtls-auth.db";
}
