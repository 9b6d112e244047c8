using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;

namespace MtlsAuthServer.Clients;

/// <summary>
/// Whether an application as stored (populated from its row) already says everything a configured registration
/// says, so the synchronizer can leave the row alone. Every field OpenIddict keeps is compared, not only the ones
/// configuration sets: a row changed in the database by something else (an admin tool, an older version) differs
/// and is written back. Unordered collections compare as sets, as OpenIddict stores them.
/// </summary>
public static class ApplicationDescriptorComparison
{
    public static bool Same(OpenIddictApplicationDescriptor stored, OpenIddictApplicationDescriptor configured) =>
        stored.ClientId == configured.ClientId
        && stored.ClientSecret == configured.ClientSecret
        && stored.ClientType == configured.ClientType
        && stored.ApplicationType == configured.ApplicationType
        && stored.ConsentType == configured.ConsentType
        && stored.DisplayName == configured.DisplayName
        && SameEntries(stored.DisplayNames, configured.DisplayNames, (a, b) => a == b)
        && stored.Permissions.SetEquals(configured.Permissions)
        && stored.Requirements.SetEquals(configured.Requirements)
        && stored.RedirectUris.SetEquals(configured.RedirectUris)
        && stored.PostLogoutRedirectUris.SetEquals(configured.PostLogoutRedirectUris)
        && SameEntries(stored.Settings, configured.Settings, (a, b) => a == b)
        && SameEntries(stored.Properties, configured.Properties, (a, b) => a.GetRawText() == b.GetRawText())
        && SameKeys(stored.JsonWebKeySet, configured.JsonWebKeySet);

    private static bool SameEntries<TKey, TValue>(IDictionary<TKey, TValue> stored, IDictionary<TKey, TValue> configured, Func<TValue, TValue, bool> same)
        where TKey : notnull =>
        stored.Count == configured.Count
        && configured.All(entry => stored.TryGetValue(entry.Key, out var value) && same(value, entry.Value));

    // In order: the key set is the client's certificates, and a reordering is a change worth writing.
    private static bool SameKeys(JsonWebKeySet? stored, JsonWebKeySet? configured)
    {
        var storedKeys = stored?.Keys ?? [];
        var configuredKeys = configured?.Keys ?? [];
        return storedKeys.Count == configuredKeys.Count
            && storedKeys.Zip(configuredKeys).All(pair => Facts(pair.First).SequenceEqual(Facts(pair.Second)));
    }

    // What a JWK says: the certificate chain carries the key itself, the other members how it is used.
    private static IEnumerable<string?> Facts(JsonWebKey key) =>
        [key.Kty, key.Use, key.Kid, key.Alg, key.X5t, key.X5tS256, key.N, key.E, key.Crv, key.X, key.Y,
            // The count keeps ["a"] + [] apart from [] + ["a"].
            key.KeyOps.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), .. key.KeyOps, .. key.X5c];
}
