using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using OpenIddict.EntityFrameworkCore.Models;

namespace MtlsAuthServer.Clients;

/// <summary>
/// Client registrations as the OAuth endpoints see them, kept for <see cref="Lifetime"/> instead of one store query
/// per request. A kept registration is an untracked copy that no context ever tracks; each caller gets its own copy of
/// it, made by EF Core from the entity's property values (<c>PropertyValues.ToObject</c>), never a shared, mutable
/// instance. Dropped whenever this instance changes the registry; changes made by another instance on a shared database
/// are seen within <see cref="Lifetime"/>. Writers (registry synchronization, registration, diagnose) never read through it.
/// </summary>
/// <remarks>
/// Only registrations that exist are kept: a miss is never remembered, so the entries are bounded by the registry,
/// not by the <c>client_id</c> values callers make up, and at most <see cref="Capacity"/> of them (one unit each).
/// </remarks>
public sealed class RegisteredClientSnapshots(TimeProvider time) : IDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);

    private const int Capacity = 10_000;

    private readonly MemoryCache _entries = new(new MemoryCacheOptions { SizeLimit = Capacity });

    /// <summary>
    /// The registration of <paramref name="clientId"/> for a request whose context is <paramref name="database"/>:
    /// a fresh copy of the kept one, or what <paramref name="load"/> finds (tracked by <paramref name="database"/>).
    /// </summary>
    public async ValueTask<OpenIddictEntityFrameworkCoreApplication?> GetAsync(
        string clientId, DbContext database, Func<ValueTask<OpenIddictEntityFrameworkCoreApplication?>> load)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(clientId, out Entry? entry) && entry is not null && now - entry.LoadedAt <= Lifetime)
        {
            return CopyOf(entry.Application, database);
        }

        if (await load() is not { } loaded)
        {
            _entries.Remove(clientId); // removed from the registry since it was kept
            return null;
        }

        _entries.Set(clientId, new Entry(now, CopyOf(loaded, database)), new MemoryCacheEntryOptions
        {
            Size = 1,
            AbsoluteExpirationRelativeToNow = Lifetime, // frees memory; freshness is decided by LoadedAt (TimeProvider)
        });
        return loaded;
    }

    /// <summary>How many registrations are kept (for tests and diagnostics).</summary>
    public int Count => _entries.Count;

    /// <summary>Forgets one registration (this instance changed it).</summary>
    public void Remove(string clientId) => _entries.Remove(clientId);

    public void Clear() => _entries.Clear();

    public void Dispose() => _entries.Dispose();

    // Entry() on an entity the context does not track only reads its values; the new instance is tracked by nobody.
    private static OpenIddictEntityFrameworkCoreApplication CopyOf(OpenIddictEntityFrameworkCoreApplication source, DbContext database) =>
        (OpenIddictEntityFrameworkCoreApplication)database.Entry(source).CurrentValues.ToObject();

    private sealed record Entry(DateTimeOffset LoadedAt, OpenIddictEntityFrameworkCoreApplication Application);
}
