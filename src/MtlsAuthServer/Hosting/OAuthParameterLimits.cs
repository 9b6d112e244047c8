using System.Collections.Frozen;

namespace MtlsAuthServer.Hosting;

/// <summary>
/// The longest value each OAuth parameter may have at the token, introspection and revocation endpoints, checked
/// before OpenIddict (or any lookup) sees the request. A registered <c>client_id</c> is at most
/// <see cref="ClientId"/> characters (<c>ClientRegistryValidator</c> refuses longer ones), so a longer one names no
/// client and is refused as <c>invalid_request</c> instead of being looked up, cached or logged.
/// </summary>
public static class OAuthParameterLimits
{
    public const int ClientId = 256;

    /// <summary>A parameter name, and any parameter not listed below.</summary>
    public const int Name = 256;

    public const int Other = 1024;

    private static readonly FrozenDictionary<string, int> Limits = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["client_id"] = ClientId,
        ["grant_type"] = 64,
        ["scope"] = 1024,
        // An access token of ours is a JWS of well under 2 KiB (RS256 with a 4096-bit key included).
        ["token"] = 4096,
        ["token_type_hint"] = 64,
        ["client_secret"] = 256,
        ["client_assertion_type"] = 256,
        ["client_assertion"] = 4096,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, int> Named => Limits;

    public static int For(string name) => Limits.TryGetValue(name, out var limit) ? limit : Other;
}
