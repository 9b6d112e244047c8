using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MtlsAuthServer.Data;

/// <summary>The SQLite context; its migrations live in <c>Data/Migrations/Sqlite</c>.</summary>
public sealed class SqliteAuthServerDbContext(DbContextOptions<SqliteAuthServerDbContext> options) : AuthServerDbContext(options)
{
    /// <summary>The token type OpenIddict's token-by-client index leaves out on SQLite (see <see cref="OnModelCreating"/>).</summary>
    public const string TokenTypeOutOfClientIndex = TokenTypeIdentifiers.AccessToken;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);

        // OpenIddict's (client, status, subject, type) index keeps each client's rows in a place of their own, so a group
        // commit of rows from n clients dirtied up to n index pages, each one more WAL frame for the single writer; with
        // 200 active clients the token rate fell well below one client's (issue 14, docs/adr/0011). Access-token rows are
        // kept out of it. The one query that needs them by client, revoking a client's tokens, walks the table in key
        // order in short write turns instead (ClientTokenRevocation). The filtered index stays so that other token types
        // (none are issued today) keep an index, and so that EF Core's convention does not add a plain one on the key.
        modelBuilder.Entity<OpenIddictEntityFrameworkCoreToken>()
            .HasIndex("ApplicationId", nameof(OpenIddictEntityFrameworkCoreToken.Status),
                nameof(OpenIddictEntityFrameworkCoreToken.Subject), nameof(OpenIddictEntityFrameworkCoreToken.Type))
            .HasFilter($"\"{nameof(OpenIddictEntityFrameworkCoreToken.Type)}\" <> '{TokenTypeOutOfClientIndex}'");
    }
}
