using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace MtlsAuthServer.Data;

/// <summary>
/// PostgreSQL: after the database restarted (or failed over), every idle pooled connection is dead, and the first
/// command on each fails although the database is back. Such a failure — the server ended the session (57P01/57P02,
/// class 08) or the socket was found closed — empties the pool and runs the operation once more on a new
/// connection, so the first request after a restart succeeds instead of getting a 503. Nothing else is retried: a
/// timeout (a frozen database) would double the time a request waits, and a refused connection fails again at once.
/// Inside a transaction the caller began, nothing is retried either (the transaction died with the connection).
/// </summary>
public sealed partial class ReconnectOnceExecutionStrategy(ExecutionStrategyDependencies dependencies)
    : ExecutionStrategy(dependencies, maxRetryCount: 1, maxRetryDelay: TimeSpan.Zero)
{
    private bool _inCallerTransaction;

    /// <summary>The failure inside <paramref name="exception"/> saying the connection was dead before the command could run; null when there is none.</summary>
    public static Exception? DeadConnectionCause(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case TimeoutException:
                    return null;
                case PostgresException postgres:
                    return postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                        || postgres.SqlState.StartsWith("08", StringComparison.Ordinal) ? postgres : null;
                case EndOfStreamException or SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown }:
                    return current;
            }
        }

        return null;
    }

    protected override void OnFirstExecution()
    {
        var database = Dependencies.CurrentContext.Context.Database;
        _inCallerTransaction = database.CurrentTransaction is not null || System.Transactions.Transaction.Current is not null;
        if (_inCallerTransaction)
        {
            ExceptionsEncountered.Clear(); // what the base does, without its refusal to run inside a caller's transaction
            return;
        }

        base.OnFirstExecution();
    }

    protected override bool ShouldRetryOn(Exception exception) => !_inCallerTransaction && DeadConnectionCause(exception) is not null;

    protected override void OnRetry()
    {
        var context = Dependencies.CurrentContext.Context;
        if (context.Database.GetDbConnection() is NpgsqlConnection connection)
        {
            // The other idle connections died with this one: drop them all, so the retry opens a new one.
            NpgsqlConnection.ClearPool(connection);
        }

        if (context.GetInfrastructure().GetService(typeof(ILoggerFactory)) is ILoggerFactory loggers)
        {
            var cause = DeadConnectionCause(ExceptionsEncountered[^1])!;
            Reconnected(loggers.CreateLogger<ReconnectOnceExecutionStrategy>(), cause.GetType().Name, cause.Message);
        }
    }

    [LoggerMessage(EventId = 6102, EventName = "DatabaseReconnected", Level = LogLevel.Warning,
        Message = "A pooled database connection was dead (the database restarted or failed over): connection pool cleared, operation retried once on a new connection ({ExceptionType}: {Detail})")]
    private static partial void Reconnected(ILogger logger, string exceptionType, string detail);
}
