using System.Collections.Concurrent;
using OpenIddict.EntityFrameworkCore.Models;

namespace MtlsAuthServer.Clients;

/// <summary>
/// Client registrations as the OAuth endpoints see them, kept for <see cref="Lifetime"/> instead of one store query
/// per request. Every caller gets its own copy of the entity (never a shared, mutable instance). Dropped whenever
/// this instance synchronizes the registry; changes made by another instance on a shared database are seen within
/// <see cref="Lifetime"/>. Writers (registry synchronization, diagnose) never read through it.
/// </summary>
/// <remarks>
/// Only registrations that exist are kept: a miss is never remembered, so the entries are bounded by the registry,
/// not by the <c>client_id</c> values callers make up (each of them would otherwise hold a key as long as the
/// request allowed until the next clear).
/// </remarks>
public sealed class RegisteredClientSnapshots(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);

    private const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public async ValueTask<OpenIddictEntityFrameworkCoreApplication?> GetAsync(
        string clientId, Func<ValueTask<OpenIddictEntityFrameworkCoreApplication?>> load)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(clientId, out var entry) && now - entry.LoadedAt <= Lifetime)
        {
            return Copy(entry.Application);
        }

        if (await load() is not { } loaded)
        {
            _entries.TryRemove(clientId, out _); // removed from the registry since it was kept
            return null;
        }

        if (_entries.Count >= Capacity)
        {
            _entries.Clear();
        }

        _entries[clientId] = new Entry(now, Copy(loaded));
        return Copy(loaded);
    }

    /// <summary>How many registrations are kept (for tests and diagnostics).</summary>
    public int Count => _entries.Count;

    public void Clear() => _entries.Clear();

    private static OpenIddictEntityFrameworkCoreApplication Copy(OpenIddictEntityFrameworkCoreApplication source) => new()
    {
        Id = source.Id,
        ApplicationType = source.ApplicationType,
        ClientId = source.ClientId,
        ClientSecret = source.ClientSecret,
        ClientType = source.ClientType,
        ConcurrencyToken = source.ConcurrencyToken,
        ConsentType = source.ConsentType,
        DisplayName = source.DisplayName,
        DisplayNames = source.DisplayNames,
        JsonWebKeySet = source.JsonWebKeySet,
        Permissions = source.Permissions,
        PostLogoutRedirectUris = source.PostLogoutRedirectUris,
        Properties = source.Properties,
        RedirectUris = source.RedirectUris,
        Requirements = source.Requirements,
        Settings = source.Settings,
    };

    private sealed record Entry(DateTimeOffset LoadedAt, OpenIddictEntityFrameworkCoreApplication Application);
}
