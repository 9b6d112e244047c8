using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using OpenIddict.EntityFrameworkCore.Models;

namespace MtlsAuthServer.Clients;

/// <summary>
/// Client registrations as the OAuth endpoints see them, kept for <see cref="Lifetime"/> instead of one store query
/// per request. A kept registration is an untracked copy that no context ever tracks; each caller gets its own copy of
/// it, of every property EF Core maps (<see cref="EntityCopy"/>), never a shared, mutable instance. Dropped whenever this instance changes the registry; changes made by another instance on a shared database
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

    // Compiled from the model on the first load; the model is the same for every context of the process.
    private Func<OpenIddictEntityFrameworkCoreApplication, OpenIddictEntityFrameworkCoreApplication>? _copy;

    /// <summary>
    /// The registration of <paramref name="clientId"/>: a fresh copy of the kept one, or what <paramref name="load"/>
    /// finds (tracked by the request's context, which <paramref name="database"/> gives when the copier is first needed).
    /// </summary>
    public async ValueTask<OpenIddictEntityFrameworkCoreApplication?> GetAsync(
        string clientId, Func<ValueTask<DbContext>> database, Func<ValueTask<OpenIddictEntityFrameworkCoreApplication?>> load)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(clientId, out Entry? entry) && entry is not null && now - entry.LoadedAt <= Lifetime)
        {
            return entry.Copy(entry.Application);
        }

        if (await load() is not { } loaded)
        {
            _entries.Remove(clientId); // removed from the registry since it was kept
            return null;
        }

        var copy = _copy ??= EntityCopy.Compile<OpenIddictEntityFrameworkCoreApplication>((await database()).Model);
        _entries.Set(clientId, new Entry(now, copy(loaded), copy), new MemoryCacheEntryOptions
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

    private sealed record Entry(
        DateTimeOffset LoadedAt, OpenIddictEntityFrameworkCoreApplication Application,
        Func<OpenIddictEntityFrameworkCoreApplication, OpenIddictEntityFrameworkCoreApplication> Copy);
}
