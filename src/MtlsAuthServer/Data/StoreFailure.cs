using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace MtlsAuthServer.Data;

/// <summary>Tells "the database is unavailable right now" apart from every other database error.</summary>
public static class StoreFailure
{
    // Microsoft.Data.Sqlite does not mark these transient; it has already retried them for the command timeout.
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    /// <summary>
    /// True when <paramref name="exception"/> (or one it wraps, e.g. in EF Core's <c>DbUpdateException</c> or the
    /// provider's execution strategy) is a transient provider failure — refused or broken connection, timeout,
    /// server shutting down or starting (Npgsql: <c>NpgsqlException.IsTransient</c>; SQLite: busy or locked past the command timeout) — or a
    /// timeout. Schema errors, constraint violations and bugs are not: they stay 500s so they get noticed.
    /// </summary>
    public static bool IsUnavailable(Exception exception) => FindCause(exception) is not null;

    /// <summary>The transient failure inside <paramref name="exception"/>, for the log; null when there is none.</summary>
    public static Exception? FindCause(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException { IsTransient: true } or TimeoutException or SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked })
            {
                return current;
            }

            if (current is AggregateException aggregate)
            {
                return aggregate.InnerExceptions.Select(FindCause).FirstOrDefault(cause => cause is not null);
            }
        }

        return null;
    }
}
