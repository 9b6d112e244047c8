using System.Data.Common;

namespace MtlsAuthServer.Data;

/// <summary>Tells "the database is unavailable right now" apart from every other database error.</summary>
public static class StoreFailure
{
    /// <summary>
    /// True when <paramref name="exception"/> (or one it wraps, e.g. in EF Core's <c>DbUpdateException</c>) is a
    /// transient provider failure — refused or broken connection, timeout, server shutting down or starting
    /// (Npgsql: <c>NpgsqlException.IsTransient</c>; SQLite: busy/locked) — or a timeout. Schema errors, constraint
    /// violations and bugs are not: they stay 500s so they get noticed.
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException { IsTransient: true } or TimeoutException)
            {
                return true;
            }

            if (current is AggregateException aggregate && aggregate.InnerExceptions.Any(IsUnavailable))
            {
                return true;
            }
        }

        return false;
    }
}
