using System.Collections.Immutable;
using OpenIddict.Abstractions;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// Scope → resources (token audiences), read from the scope store and kept for a short while: scopes change only
/// when the registry is synchronized, but every token request needs them, and a store round trip per token is the
/// single largest cost of issuing one. Dropped whenever this instance synchronizes the registry; other instances'
/// changes (shared database) are seen within <see cref="Lifetime"/>.
/// </summary>
public sealed class ScopeResourceCatalog(IServiceScopeFactory scopes, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private Snapshot? _snapshot;

    public async ValueTask<ImmutableArray<string>> ResourcesOfAsync(ImmutableArray<string> granted, CancellationToken cancellationToken)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        var now = time.GetUtcNow();
        if (snapshot is null || now - snapshot.LoadedAt > Lifetime || granted.Any(scope => !snapshot.Resources.ContainsKey(scope)))
        {
            snapshot = await LoadAsync(now, cancellationToken);
            Volatile.Write(ref _snapshot, snapshot);
        }

        return [.. granted.SelectMany(scope => snapshot.Resources.TryGetValue(scope, out var resources) ? resources : []).Distinct(StringComparer.Ordinal)];
    }

    public void Invalidate() => Volatile.Write(ref _snapshot, null);

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
