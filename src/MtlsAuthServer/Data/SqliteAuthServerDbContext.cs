using Microsoft.EntityFrameworkCore;

namespace MtlsAuthServer.Data;

/// <summary>The SQLite context; its migrations live in <c>Data/Migrations/Sqlite</c>.</summary>
public sealed class SqliteAuthServerDbContext(DbContextOptions<SqliteAuthServerDbContext> options) : AuthServerDbContext(options);
