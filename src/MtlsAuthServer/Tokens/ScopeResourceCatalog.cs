using System.Collections.Immutable;
using OpenIddict.Abstractions;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// The registered scopes and their resources (token audiences), read from the scope store and kept for a short
/// while: scopes change only when the registry is synchronized, but every token request needs them, and a store
/// round trip per token is the single largest cost of issuing one. Dropped whenever this instance synchronizes the
/// registry; other instances' changes (shared database) are seen within <see cref="Lifetime"/> — at once for a
/// scope they added, since a name missing from the snapshot is always looked up in the store.
/// </summary>
public sealed class ScopeResourceCatalog(IServiceScopeFactory scopes, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private Snapshot? _snapshot;

    public async ValueTask<ImmutableArray<string>> ResourcesOfAsync(ImmutableArray<string> granted, CancellationToken cancellationToken)
    {
        var snapshot = await CurrentAsync(cancellationToken);
        if (granted.Any(scope => !snapshot.Resources.ContainsKey(scope)))
        {
            snapshot = await ReloadAsync(cancellationToken);
        }

        return [.. granted.SelectMany(scope => snapshot.Resources.TryGetValue(scope, out var resources) ? resources : []).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// The names of <paramref name="names"/> that are not registered scopes. A name the snapshot knows costs no store
    /// query; any other is looked up in the store (by name, as OpenIddict's own check does), so an unknown scope costs
    /// what it always did — never a reload of every scope — and one another instance registered since the snapshot
    /// was taken is accepted at once and renews the snapshot.
    /// </summary>
    public async ValueTask<IReadOnlyCollection<string>> FindUnregisteredAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        var snapshot = await CurrentAsync(cancellationToken);
        HashSet<string>? missing = null;
        foreach (var name in names)
        {
            if (!snapshot.Resources.ContainsKey(name))
            {
                (missing ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);
            }
        }

        if (missing is null)
        {
            return [];
        }

        await using var scope = scopes.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictScopeManager>();
        var registeredSince = false;
        await foreach (var entry in manager.FindByNamesAsync([.. missing], cancellationToken))
        {
            if (await manager.GetNameAsync(entry, cancellationToken) is { Length: > 0 } name && missing.Remove(name))
            {
                registeredSince = true;
            }
        }

        if (registeredSince)
        {
            Invalidate();
        }

        return missing;
    }

    /// <summary>The names of the registered scopes (discovery's <c>scopes_supported</c>).</summary>
    public async ValueTask<IReadOnlyCollection<string>> NamesAsync(CancellationToken cancellationToken) =>
        (await CurrentAsync(cancellationToken)).Resources.Keys.ToList();

    public void Invalidate() => Volatile.Write(ref _snapshot, null);

    private async ValueTask<Snapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        return snapshot is not null && time.GetUtcNow() - snapshot.LoadedAt <= Lifetime ? snapshot : await ReloadAsync(cancellationToken);
    }

    private async Task<Snapshot> ReloadAsync(CancellationToken cancellationToken)
    {
        var snapshot = await LoadAsync(time.GetUtcNow(), cancellationToken);
        Volatile.Write(ref _snapshot, snapshot);
        return snapshot;
    }

    private async Task<Snapshot> LoadAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictScopeManager>();
        var resources = new Dictionary<string, ImmutableArray<string>>(StringComparer.Ordinal);
        await foreach (var entry in manager.ListAsync(count: null, offset: null, cancellationToken))
        {
            if (await manager.GetNameAsync(entry, cancellationToken) is { } name)
            {
                resources[name] = await manager.GetResourcesAsync(entry, cancellationToken);
            }
        }

        return new Snapshot(now, resources);
    }

    private sealed record Snapshot(DateTimeOffset LoadedAt, IReadOnlyDictionary<string, ImmutableArray<string>> Resources);
}
