using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using OpenIddict.EntityFrameworkCore.Models;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// The INSERT of a batch of token rows, generated once from EF Core's own model of OpenIddict's token entity: its
/// table, its columns, their type mappings and value converters. The rows written are the ones SaveChanges would write,
/// without SaveChanges' change tracking and update pipeline, which cost about a tenth of a stored token's CPU in a
/// profile (docs/benchmark-2026-12-02.md). Where the provider batches commands (Npgsql), a batch is one round trip; else
/// (SQLite, in process) one command runs once per row. That command and its parameters are kept from batch to batch on
/// the same connection, so SQLite compiles the INSERT once, not once per commit (compiling it, with its five indexes, cost
/// more than binding a row). The caller owns the connection and the transaction, and uses one instance from one thread.
/// </summary>
public sealed class TokenRowInsert : IAsyncDisposable
{
    private const string ApplicationForeignKey = "ApplicationId";
    private const string AuthorizationForeignKey = "AuthorizationId";

    private readonly string _sql;
    private readonly Column[] _columns;
    private DbCommand? _insert;
    private DbParameter[] _parameters = [];

    public TokenRowInsert(DbContext database)
    {
        var entity = database.Model.FindEntityType(typeof(OpenIddictEntityFrameworkCoreToken))
            ?? throw new InvalidOperationException("The database model has no OpenIddict token entity.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = database.GetService<ISqlGenerationHelper>();
        _columns = [.. entity.GetProperties().Select((property, index) => Column.Of(property, table, sql.GenerateParameterName($"p{index}")))];
        _sql = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", _columns.Select(c => sql.DelimitIdentifier(c.Name)))}) " +
            $"VALUES ({string.Join(", ", _columns.Select(c => c.ParameterName))})";
    }

    /// <summary>
    /// Inserts <paramref name="rows"/> within <paramref name="transaction"/>; the caller commits. <paramref name="commandTimeout"/>
    /// is the context's (Database:CommandTimeout): a database that stops answering fails the batch, it does not hang it.
    /// </summary>
    public async Task ExecuteAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<TokenRow> rows, int? commandTimeout, CancellationToken cancellationToken)
    {
        var insert = InsertOn(connection);
        insert.Transaction = transaction;
        if (commandTimeout is { } seconds)
        {
            insert.CommandTimeout = seconds;
        }

        if (connection.CanCreateBatch && rows.Count > 1)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = transaction;
            batch.Timeout = insert.CommandTimeout;
            foreach (var row in rows)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = _sql;
                foreach (var column in _columns)
                {
                    // EF Core's type mappings make a provider's parameters from a command; here they are moved to the batch's.
                    command.Parameters.Add(column.CreateParameter(insert, row));
                }

                batch.BatchCommands.Add(command);
            }

            await batch.ExecuteNonQueryAsync(cancellationToken);
            return;
        }

        foreach (var row in rows)
        {
            for (var i = 0; i < _columns.Length; i++)
            {
                _columns[i].Bind(_parameters[i], row);
            }

            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_insert is not null)
        {
            await _insert.DisposeAsync();
            _insert = null;
        }
    }

    /// <summary>The INSERT command of <paramref name="connection"/>: the one of the previous batch if it ran there, else a new one.</summary>
    private DbCommand InsertOn(DbConnection connection)
    {
        if (_insert is not null && ReferenceEquals(_insert.Connection, connection))
        {
            return _insert;
        }

        _insert?.Dispose();
        _insert = connection.CreateCommand();
        _insert.CommandText = _sql;
        _parameters = [.. _columns.Select(column => column.CreateParameter(_insert))];
        _insert.Parameters.AddRange(_parameters);
        return _insert;
    }

    /// <summary>A token entity and the keys of the client and authorization it names (the entity's foreign keys are not properties of it).</summary>
    public readonly record struct TokenRow(OpenIddictEntityFrameworkCoreToken Token, string? ApplicationId, string? AuthorizationId);

    private sealed class Column(string name, string parameterName, RelationalTypeMapping mapping, Func<TokenRow, object?> value)
    {
        public string Name { get; } = name;

        public string ParameterName { get; } = parameterName;

        /// <summary>The provider's parameter for this column of <paramref name="row"/>, converted as SaveChanges converts it.</summary>
        public DbParameter CreateParameter(DbCommand command, TokenRow row) =>
            mapping.CreateParameter(command, ParameterName, value(row), nullable: true);

        /// <summary>A parameter configured for this column (type, size), to be given each row's value by <see cref="Bind"/>.</summary>
        public DbParameter CreateParameter(DbCommand command) =>
            mapping.CreateParameter(command, ParameterName, null, nullable: true);

        /// <summary>Sets <paramref name="parameter"/> to this column of <paramref name="row"/>, converted as <see cref="RelationalTypeMapping.CreateParameter"/> converts it.</summary>
        public void Bind(DbParameter parameter, TokenRow row)
        {
            var clrValue = value(row);
            parameter.Value = (clrValue is null || mapping.Converter is null ? clrValue : mapping.Converter.ConvertToProvider(clrValue)) ?? DBNull.Value;
        }

        public static Column Of(IProperty property, StoreObjectIdentifier table, string parameter)
        {
            var getter = property.IsShadowProperty() ? null : property.GetGetter(); // looked up once, not per row
            Func<TokenRow, object?> value = property.Name switch
            {
                ApplicationForeignKey when property.IsShadowProperty() => row => row.ApplicationId,
                AuthorizationForeignKey when property.IsShadowProperty() => row => row.AuthorizationId,
                _ when property.IsShadowProperty() => throw new InvalidOperationException($"The token entity has a shadow property '{property.Name}' this writer does not know."),
                _ => row => getter!.GetClrValue(row.Token),
            };
            var mapping = property.GetRelationalTypeMapping();
            return new Column(property.GetColumnName(table)!, parameter, mapping, value);
        }
    }
}
