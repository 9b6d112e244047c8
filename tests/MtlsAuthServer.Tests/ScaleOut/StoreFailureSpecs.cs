using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using MtlsAuthServer.Data;
using Npgsql;

namespace MtlsAuthServer.Tests.ScaleOut;

/// <summary>Which database errors become 503 (retry later) and which stay 500 (a bug or a broken schema to look at).</summary>
public sealed class StoreFailureSpecs
{
    [Fact]
    public void A_refused_connection_is_unavailability()
    {
        var exception = new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused));

        Assert.True(StoreFailure.IsUnavailable(exception));
    }

    [Fact]
    public void A_failure_wrapped_by_ef_core_is_found_inside()
    {
        var cause = new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", PostgresErrorCodes.AdminShutdown);
        var exception = new InvalidOperationException("An exception has been raised that is likely due to a transient failure.",
            new DbUpdateException("saving failed", cause));

        Assert.Same(cause, StoreFailure.FindCause(exception));
    }

    [Fact]
    public void A_command_timeout_is_unavailability()
    {
        Assert.True(StoreFailure.IsUnavailable(new NpgsqlException("Exception while reading from stream", new TimeoutException())));
    }

    [Fact]
    public void A_busy_sqlite_database_is_unavailability()
    {
        Assert.True(StoreFailure.IsUnavailable(new SqliteException("database is locked", 5)));
    }

    [Theory]
    [InlineData(PostgresErrorCodes.UndefinedTable)]
    [InlineData(PostgresErrorCodes.UniqueViolation)]
    [InlineData(PostgresErrorCodes.InvalidPassword)]
    public void Schema_constraint_and_credential_errors_are_not_unavailability(string sqlState)
    {
        var exception = new DbUpdateException("saving failed", new PostgresException("error", "ERROR", "ERROR", sqlState));

        Assert.False(StoreFailure.IsUnavailable(exception));
    }
}
