using Microsoft.EntityFrameworkCore;

namespace MtlsAuthServer.Data;

/// <summary>Serializes client registry synchronization between instances sharing one database.</summary>
public static class RegistryLock
{
    // The key is any fixed 64-bit number used by nothing else: the ASCII of "mtlsreg1".
    private const string PostgreSqlLock = "SELECT pg_advisory_xact_lock(7887048090528868145)";

    /// <summary>
    /// Inside the caller's transaction: on PostgreSQL, waits for a transaction-scoped advisory lock, released at
    /// commit or rollback, so two instances starting together don't both insert the same client. SQLite serves
    /// one instance and its write transaction is already exclusive.
    /// </summary>
    public static async Task AcquireAsync(AuthServerDbContext database, CancellationToken cancellationToken)
    {
        if (database.Database.IsNpgsql())
        {
            await database.Database.ExecuteSqlRawAsync(PostgreSqlLock, cancellationToken);
        }
    }
}
