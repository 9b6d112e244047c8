using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;

namespace MtlsAuthServer.ResourceApi.Tokens;

/// <summary>
/// Recent active introspection results, keyed by the SHA-256 of the token (the token itself is never stored), kept
/// for <c>TokenValidation:Introspection:CacheDuration</c> and never past the token's <c>exp</c>. Only what the token
/// server said about the token is cached; the binding to the caller's certificate is checked on every request.
/// </summary>
public sealed class IntrospectionCache : IDisposable
{
    private readonly MemoryCache _entries;
    private readonly TimeSpan _duration;
    private readonly TimeProvider _time;

    public IntrospectionCache(IOptions<TokenValidationOptions> options, TimeProvider time)
    {
        _duration = options.Value.Introspection.CacheDuration;
        _time = time;
        _entries = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.Introspection.CacheSize });
    }

    public ClaimsPrincipal? Find(string token)
    {
        var key = Key(token);
        if (!_entries.TryGetValue(key, out Entry? entry) || entry is null)
        {
            return null;
        }

        if (entry.ExpiresAt <= _time.GetUtcNow())
        {
            _entries.Remove(key);
            return null;
        }

        return entry.Principal.Clone();
    }

    public void Store(string token, ClaimsPrincipal principal)
    {
        var now = _time.GetUtcNow();
        var expiresAt = now + _duration;
        if (principal.GetExpirationDate() is { } tokenExpiry && tokenExpiry < expiresAt)
        {
            expiresAt = tokenExpiry;
        }

        if (expiresAt <= now)
        {
            return;
        }

        _entries.Set(Key(token), new Entry(principal.Clone(), expiresAt), new MemoryCacheEntryOptions
        {
            Size = 1,
            AbsoluteExpirationRelativeToNow = expiresAt - now,
        });
    }

    public void Dispose() => _entries.Dispose();

    private static string Key(string token) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private sealed record Entry(ClaimsPrincipal Principal, DateTimeOffset ExpiresAt);
}
