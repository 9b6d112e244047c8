using Microsoft.EntityFrameworkCore;

namespace MtlsAuthServer.Data;

/// <summary>Reads and records <see cref="ClientCertificateSighting"/> rows (shared by every instance on the database).</summary>
public sealed class ClientCertificateSightingStore(AuthServerDbContext database)
{
    /// <summary>
    /// Records one client's sightings in one SaveChanges: each row is created or moved forward (never back: another
    /// instance may have recorded a later one), then only the client's <paramref name="keep"/> most recently seen
    /// certificates are kept. A row another instance inserted or deleted meanwhile makes the write fail with a
    /// <see cref="DbUpdateException"/>: the caller drops it, the next sighting writes again.
    /// </summary>
    public async Task RecordAsync(string clientId, IReadOnlyCollection<ClientCertificateSighting> sightings, int keep, CancellationToken cancellationToken)
    {
        var rows = await database.Set<ClientCertificateSighting>().Where(row => row.ClientId == clientId).ToListAsync(cancellationToken);
        foreach (var sighting in sightings)
        {
            var row = rows.Find(row => row.Thumbprint == sighting.Thumbprint);
            if (row is null)
            {
                rows.Add(sighting);
                database.Add(sighting);
            }
            else if (row.LastSeen < sighting.LastSeen)
            {
                row.LastSeen = sighting.LastSeen;
                row.NotAfter = sighting.NotAfter;
            }
        }

        database.RemoveRange(rows.OrderByDescending(row => row.LastSeen).Skip(keep));
        await database.SaveChangesAsync(cancellationToken);
        database.ChangeTracker.Clear();
    }

    /// <summary>Every recorded sighting, or one client's.</summary>
    public async Task<IReadOnlyList<ClientCertificateSighting>> ListAsync(string? clientId, CancellationToken cancellationToken)
    {
        var query = database.Set<ClientCertificateSighting>().AsNoTracking();
        if (clientId is not null)
        {
            query = query.Where(row => row.ClientId == clientId);
        }

        return await query.ToListAsync(cancellationToken);
    }
}
