using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MtlsAuthServer.Data;

/// <summary>
/// Revokes every stored token of one client, as OpenIddict's <see cref="IOpenIddictTokenManager.RevokeByApplicationIdAsync"/>
/// does: each of its rows, whatever its status, becomes <c>revoked</c>. On PostgreSQL that is OpenIddict's own bulk
/// update, served by its token-by-client index. On SQLite access-token rows are not in that index (see
/// <see cref="SqliteAuthServerDbContext"/>), so the table is walked in key order, <see cref="TurnSize"/> rows per write
/// turn: the single writer queue is held for one short range at a time, and token issuance goes on in between, however
/// large the table has grown. Rows added while the walk runs are reached by its last turn, which is open-ended.
/// </summary>
public sealed class ClientTokenRevocation(AuthServerDbContext database, IOpenIddictTokenManager tokens, IServiceProvider services)
{
    /// <summary>Rows looked at per write turn on SQLite.</summary>
    public const int TurnSize = 2_000;

    private IQueryable<OpenIddictEntityFrameworkCoreToken> Tokens => database.Set<OpenIddictEntityFrameworkCoreToken>();

    public async Task<long> RevokeAsync(string applicationId, CancellationToken cancellationToken)
    {
        if (services.GetService<SqliteWriteSerializer>() is not { } serializer)
        {
            return await tokens.RevokeByApplicationIdAsync(applicationId, cancellationToken);
        }

        var revoked = 0L;
        var after = string.Empty; // Every id sorts after the empty string.
        while (true)
        {
            // Read outside the writer queue (WAL readers do not block the writer): the last id of the next turn.
            var last = await Tokens.Where(token => string.Compare(token.Id, after) > 0).OrderBy(token => token.Id)
                .Skip(TurnSize - 1).Select(token => token.Id).FirstOrDefaultAsync(cancellationToken);
            var turn = Tokens.Where(token => string.Compare(token.Id, after) > 0 && token.Application!.Id == applicationId);
            if (last is not null)
            {
                turn = turn.Where(token => string.Compare(token.Id, last) <= 0);
            }

            revoked += await serializer.ExclusiveAsync(
                () => turn.ExecuteUpdateAsync(setters => setters.SetProperty(token => token.Status, Statuses.Revoked), cancellationToken),
                cancellationToken);
            if (last is null)
            {
                return revoked;
            }

            after = last;
        }
    }
}
