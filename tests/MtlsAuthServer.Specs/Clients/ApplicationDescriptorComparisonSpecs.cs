using System.Globalization;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using MtlsAuthServer.Clients;
using OpenIddict.Abstractions;

namespace MtlsAuthServer.Specs.Clients;

/// <summary>
/// The synchronizer leaves a client's row alone only when the stored application says all that configuration says:
/// a difference in any one field OpenIddict keeps, however small, must be written.
/// </summary>
public sealed class ApplicationDescriptorComparisonSpecs
{
    public static TheoryData<string> Changes => [.. OneFieldChanges.Keys];

    private static readonly Dictionary<string, Action<OpenIddictApplicationDescriptor>> OneFieldChanges = new()
    {
        ["client id"] = d => d.ClientId = "robot-2",
        ["client id case"] = d => d.ClientId = "Robot",
        ["client secret"] = d => d.ClientSecret = "hashed",
        ["client type"] = d => d.ClientType = OpenIddictConstants.ClientTypes.Public,
        ["application type"] = d => d.ApplicationType = OpenIddictConstants.ApplicationTypes.Native,
        ["consent type"] = d => d.ConsentType = OpenIddictConstants.ConsentTypes.Implicit,
        ["display name"] = d => d.DisplayName = "Robot ",
        ["display name of a culture removed"] = d => d.DisplayNames.Clear(),
        ["display name translated otherwise"] = d => d.DisplayNames[CultureInfo.InvariantCulture] = "Robot (other)",
        ["permission added"] = d => d.Permissions.Add(OpenIddictConstants.Permissions.Prefixes.Scope + "api:write"),
        ["permission removed"] = d => d.Permissions.Remove(OpenIddictConstants.Permissions.Endpoints.Introspection),
        ["requirement"] = d => d.Requirements.Add(OpenIddictConstants.Requirements.Features.ProofKeyForCodeExchange),
        ["redirect uri"] = d => d.RedirectUris.Add(new Uri("https://robot.example/cb")),
        ["post-logout redirect uri"] = d => d.PostLogoutRedirectUris.Add(new Uri("https://robot.example/out")),
        ["setting value"] = d => d.Settings["tls_client_auth_san_dns"] = "robot2.example",
        ["setting added"] = d => d.Settings["disabled"] = "true",
        ["setting removed"] = d => d.Settings.Remove("mtls_source"),
        ["property value"] = d => d.Properties["note"] = JsonSerializer.SerializeToElement("other"),
        ["property added"] = d => d.Properties["extra"] = JsonSerializer.SerializeToElement(1),
        ["no key set"] = d => d.JsonWebKeySet = null,
        ["key added"] = d => d.JsonWebKeySet!.Keys.Add(Key("MIIC-next")),
        ["keys reordered"] = d => d.JsonWebKeySet = new JsonWebKeySet { Keys = { Key("MIIC-second"), Key("MIIC-first") } },
        ["key certificate"] = d => d.JsonWebKeySet!.Keys[0].X5c[0] = "MIIC-other",
        ["key certificate chain longer"] = d => d.JsonWebKeySet!.Keys[0].X5c.Add("MIIC-issuer"),
        ["key use"] = d => d.JsonWebKeySet!.Keys[0].Use = JsonWebKeyUseNames.Enc,
        ["key id"] = d => d.JsonWebKeySet!.Keys[0].Kid = "other",
        ["key modulus"] = d => d.JsonWebKeySet!.Keys[0].N = "AQAC",
        ["key operation"] = d => d.JsonWebKeySet!.Keys[0].KeyOps.Add("verify"),
    };

    [Fact]
    public void Two_descriptors_with_the_same_contents_are_the_same_whatever_the_order_of_their_sets()
    {
        var stored = Robot();
        var configured = Robot();
        configured.Permissions.Clear();
        foreach (var permission in Robot().Permissions.Reverse())
        {
            configured.Permissions.Add(permission);
        }

        Assert.True(ApplicationDescriptorComparison.Same(stored, configured));
    }

    [Theory]
    [MemberData(nameof(Changes))]
    public void A_change_to_any_one_field_makes_them_different_either_way_round(string change)
    {
        var changed = Robot();
        OneFieldChanges[change](changed);

        Assert.False(ApplicationDescriptorComparison.Same(Robot(), changed));
        Assert.False(ApplicationDescriptorComparison.Same(changed, Robot()));
    }

    [Fact]
    public void No_key_set_and_an_empty_key_set_say_the_same()
    {
        var none = Robot();
        none.JsonWebKeySet = null;
        var empty = Robot();
        empty.JsonWebKeySet = new JsonWebKeySet();

        Assert.True(ApplicationDescriptorComparison.Same(none, empty));
    }

    private static OpenIddictApplicationDescriptor Robot()
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = "robot",
            DisplayName = "Robot",
            ClientType = OpenIddictConstants.ClientTypes.Confidential,
            JsonWebKeySet = new JsonWebKeySet { Keys = { Key("MIIC-first"), Key("MIIC-second") } },
        };
        descriptor.DisplayNames[CultureInfo.InvariantCulture] = "Robot";
        descriptor.Permissions.UnionWith([
            OpenIddictConstants.Permissions.Endpoints.Token,
            OpenIddictConstants.Permissions.Endpoints.Introspection,
            OpenIddictConstants.Permissions.GrantTypes.ClientCredentials,
            OpenIddictConstants.Permissions.Prefixes.Scope + "api:read"]);
        descriptor.Settings["mtls_source"] = "configuration";
        descriptor.Settings["tls_client_auth_san_dns"] = "robot.example";
        descriptor.Properties["note"] = JsonSerializer.SerializeToElement("kept");
        return descriptor;
    }

    private static JsonWebKey Key(string certificate)
    {
        var key = new JsonWebKey { Kty = JsonWebAlgorithmsKeyTypes.RSA, Use = JsonWebKeyUseNames.Sig, Kid = certificate, N = "AQAB", E = "AQAB" };
        key.X5c.Add(certificate);
        return key;
    }
}
