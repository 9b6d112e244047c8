using System.Collections.Immutable;
using OpenIddict.Abstractions;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// What OpenIddict's managers get as their entity cache while entity caching is disabled (<see cref="TokenServerRegistration"/>):
/// one stateless singleton. OpenIddict's own caches are scoped and each builds a <c>MemoryCache</c> and a signal
/// dictionary per request that the managers then never consult (about 3 % of the bytes a token request allocated).
/// Every lookup misses, so a manager that did consult it would read its store: slower, never stale.
/// </summary>
public sealed class DisabledEntityCache<TEntity> :
    IOpenIddictApplicationCache<TEntity>, IOpenIddictAuthorizationCache<TEntity>, IOpenIddictScopeCache<TEntity>, IOpenIddictTokenCache<TEntity>
    where TEntity : class
{
    public ValueTask AddAsync(TEntity entity, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask RemoveAsync(TEntity entity, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<TEntity?> FindByIdAsync(string identifier, CancellationToken cancellationToken) => ValueTask.FromResult<TEntity?>(null);

    public ValueTask<TEntity?> FindByClientIdAsync(string identifier, CancellationToken cancellationToken) => ValueTask.FromResult<TEntity?>(null);

    public ValueTask<TEntity?> FindByNameAsync(string name, CancellationToken cancellationToken) => ValueTask.FromResult<TEntity?>(null);

    public ValueTask<TEntity?> FindByReferenceIdAsync(string identifier, CancellationToken cancellationToken) => ValueTask.FromResult<TEntity?>(null);

    public IAsyncEnumerable<TEntity> FindByPostLogoutRedirectUriAsync(string uri, CancellationToken cancellationToken) => AsyncEnumerable.Empty<TEntity>();

    public IAsyncEnumerable<TEntity> FindByRedirectUriAsync(string uri, CancellationToken cancellationToken) => AsyncEnumerable.Empty<TEntity>();

    public IAsyncEnumerable<TEntity> FindByNamesAsync(ImmutableArray<string> names, CancellationToken cancellationToken) => AsyncEnumerable.Empty<TEntity>();

    public IAsyncEnumerable<TEntity> FindByResourceAsync(string resource, CancellationToken cancellationToken) => AsyncEnumerable.Empty<TEntity>();

    public IAsyncEnumerable<TEntity> FindByApplicationIdAsync(string identifier, CancellationToken cancellationToken) => AsyncEnumerable.Empty<TEntity>();

    public IAsyncEnumerable<TEntity> FindByAuthorizationIdAsync(string identifier, CancellationToken cancellationToken) => AsyncEnumerable.Empty<TEntity>();

    public IAsyncEnumerable<TEntity> FindBySubjectAsync(string subject, CancellationToken cancellationToken) => AsyncEnumerable.Empty<TEntity>();

    public IAsyncEnumerable<TEntity> FindAsync(
        string? subject, string? client, string? status, string? type, ImmutableArray<string>? scopes, CancellationToken cancellationToken) =>
        AsyncEnumerable.Empty<TEntity>();

    public IAsyncEnumerable<TEntity> FindAsync(
        string? subject, string? client, string? status, string? type, CancellationToken cancellationToken) =>
        AsyncEnumerable.Empty<TEntity>();
}
