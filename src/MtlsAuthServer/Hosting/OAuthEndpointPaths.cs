using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Tokens;
using OpenIddict.Server;

namespace MtlsAuthServer.Hosting;

/// <summary>
/// The paths OpenIddict serves, as its options configure them (the one list; no guard repeats a literal), for the
/// middleware in front of it: the client-authenticated OAuth endpoints by short name (<see cref="EndpointNames"/>) and
/// discovery with its JWKS. Matched as OpenIddict matches its endpoints: case-insensitive, with or without one trailing
/// slash (<c>/token/</c> reaches the token endpoint, so it must meet the same guards).
/// </summary>
public sealed class OAuthEndpointPaths
{
    private readonly FrozenDictionary<string, string> _oauthEndpoints;
    private readonly FrozenSet<string> _discovery;

    public OAuthEndpointPaths(IOptions<OpenIddictServerOptions> server)
    {
        var options = server.Value;
        _oauthEndpoints = Paths(options.TokenEndpointUris).Select(path => (path, EndpointNames.Token))
            .Concat(Paths(options.IntrospectionEndpointUris).Select(path => (path, EndpointNames.Introspection)))
            .Concat(Paths(options.RevocationEndpointUris).Select(path => (path, EndpointNames.Revocation)))
            .ToFrozenDictionary(entry => entry.path, entry => entry.Item2, StringComparer.OrdinalIgnoreCase);
        _discovery = Paths(options.ConfigurationEndpointUris).Concat(Paths(options.JsonWebKeySetEndpointUris)).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <returns>The endpoint's short name (<see cref="EndpointNames"/>), or null when the path is no client-authenticated OAuth endpoint.</returns>
    public string? EndpointOf(PathString path) => _oauthEndpoints.GetValueOrDefault(Normalize(path));

    /// <summary>Whether the path is the discovery document or the JWKS.</summary>
    public bool IsDiscovery(PathString path) => _discovery.Contains(Normalize(path));

    private static string Normalize(PathString path) =>
        path.Value is { Length: > 1 } value && value[^1] == '/' ? value[..^1] : path.Value ?? string.Empty;

    // OpenIddict's endpoint URIs are relative to the issuer ("token") or absolute; the request path is what a client sends.
    private static IEnumerable<string> Paths(IEnumerable<Uri> uris) =>
        uris.Select(uri => "/" + (uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString).Trim('/')).Distinct(StringComparer.OrdinalIgnoreCase);
}
