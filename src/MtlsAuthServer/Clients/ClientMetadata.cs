using System.Collections.Immutable;
using MtlsAuthServer.Certificates;

namespace MtlsAuthServer.Clients;

/// <summary>
/// The RFC 8705 metadata of a registered client, as stored in its OpenIddict application settings
/// (RFC 7591 names as keys), read back on every authentication.
/// </summary>
public sealed record ClientMetadata(string AuthMethod, ClientIdentity? Identity, bool Disabled)
{
    public const string AuthMethodSetting = "token_endpoint_auth_method";
    public const string DisabledSetting = "mtls_disabled";

    public bool IsTlsClientAuth => AuthMethod == ClientRegistration.TlsClientAuth;

    public bool IsSelfSigned => AuthMethod == ClientRegistration.SelfSignedTlsClientAuth;

    public static ClientMetadata FromSettings(ImmutableDictionary<string, string> settings)
    {
        settings.TryGetValue(AuthMethodSetting, out var method);
        ClientIdentity? identity = null;
        foreach (var (name, kind) in ClientIdentity.MetadataNames)
        {
            if (settings.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value))
            {
                identity = new ClientIdentity(kind, value);
                break;
            }
        }

        var disabled = settings.TryGetValue(DisabledSetting, out var flag) && flag == "true";
        return new ClientMetadata(method ?? string.Empty, identity, disabled);
    }

    /// <summary>The settings that describe <paramref name="registration"/>.</summary>
    public static Dictionary<string, string> ToSettings(ClientRegistration registration)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [AuthMethodSetting] = registration.TokenEndpointAuthMethod,
        };
        if (registration.Identity() is { } identity)
        {
            settings[identity.MetadataName] = identity.Value;
        }

        return settings;
    }
}
