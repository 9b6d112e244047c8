using Microsoft.EntityFrameworkCore;

namespace MtlsAuthServer.Data;

/// <summary>The PostgreSQL context; its migrations live in <c>Data/Migrations/PostgreSql</c>.</summary>
public sealed class PostgreSqlAuthServerDbContext(DbContextOptions<PostgreSqlAuthServerDbContext> options) : AuthServerDbContext(options);
