using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Tokens;
using OpenIddict.Server;

namespace MtlsAuthServer.Hosting;

/// <summary>
/// The paths OpenIddict serves, as its options configure them (the one list; no guard repeats a literal), and the one
/// place that decides which endpoint a request path is: for the middleware in front of OpenIddict (the
/// client-authenticated endpoints by short name, <see cref="EndpointNames"/>, and discovery with its JWKS) and for
/// OpenIddict itself (<see cref="InferEndpointTypeFromPaths"/>), so a guard and the endpoint can never disagree about a
/// path. Matched as OpenIddict matches its endpoints: case-insensitive, with or without one trailing slash
/// (<c>/token/</c> reaches the token endpoint, so it must meet the same guards).
/// </summary>
public sealed class OAuthEndpointPaths
{
    private readonly FrozenDictionary<string, OpenIddictServerEndpointType> _endpoints;

    public OAuthEndpointPaths(IOptions<OpenIddictServerOptions> server)
    {
        var options = server.Value;
        // OpenIddict's own order: the first kind that lists a path is the endpoint it serves there.
        (OpenIddictServerEndpointType Type, IEnumerable<Uri> Uris)[] kinds =
        [
            (OpenIddictServerEndpointType.Authorization, options.AuthorizationEndpointUris),
            (OpenIddictServerEndpointType.Configuration, options.ConfigurationEndpointUris),
            (OpenIddictServerEndpointType.DeviceAuthorization, options.DeviceAuthorizationEndpointUris),
            (OpenIddictServerEndpointType.EndSession, options.EndSessionEndpointUris),
            (OpenIddictServerEndpointType.EndUserVerification, options.EndUserVerificationEndpointUris),
            (OpenIddictServerEndpointType.Introspection, options.IntrospectionEndpointUris),
            (OpenIddictServerEndpointType.JsonWebKeySet, options.JsonWebKeySetEndpointUris),
            (OpenIddictServerEndpointType.Revocation, options.RevocationEndpointUris),
            (OpenIddictServerEndpointType.Token, options.TokenEndpointUris),
            (OpenIddictServerEndpointType.UserInfo, options.UserInfoEndpointUris),
        ];
        _endpoints = kinds.SelectMany(kind => kind.Uris.Select(uri => (Path: PathOf(uri), kind.Type)))
            .DistinctBy(entry => entry.Path, StringComparer.OrdinalIgnoreCase)
            .ToFrozenDictionary(entry => entry.Path, entry => entry.Type, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The OpenIddict endpoint a request path is, or <see cref="OpenIddictServerEndpointType.Unknown"/>.</summary>
    public OpenIddictServerEndpointType TypeOf(PathString path) => _endpoints.GetValueOrDefault(Normalize(path));

    /// <returns>The endpoint's short name (<see cref="EndpointNames"/>), or null when the path is no client-authenticated OAuth endpoint.</returns>
    public string? EndpointOf(PathString path) => EndpointNames.Of(TypeOf(path));

    /// <summary>Whether the path is the discovery document or the JWKS.</summary>
    public bool IsDiscovery(PathString path) => TypeOf(path) is OpenIddictServerEndpointType.Configuration or OpenIddictServerEndpointType.JsonWebKeySet;

    private static string Normalize(PathString path) =>
        path.Value is { Length: > 1 } value && value[^1] == '/' ? value[..^1] : path.Value ?? string.Empty;

    // Relative to the issuer ("token"), as this server configures every endpoint. OpenIddict would also compare the host
    // of an absolute one, which a path table cannot: such a configuration fails the start instead of being half-matched.
    private static string PathOf(Uri uri) => uri.IsAbsoluteUri
        ? throw new InvalidOperationException($"OpenIddict endpoint URI '{uri}' is absolute; endpoints are configured relative to the issuer.")
        : "/" + uri.OriginalString.Trim('/');
}
