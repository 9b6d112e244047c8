using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Fapi2;

/// <summary>
/// Suite module <c>fapi2-security-profile-final-discovery-end-point-verification</c> (FAPI2SPFinalDiscoveryEndpointVerification)
/// for the client-credentials, mTLS/mTLS variant: RFC 8414 discovery fetched, issuer consistent with its location,
/// bound tokens advertised, mTLS methods only, https endpoints, valid scope tokens, client_credentials, and
/// <c>mtls_endpoint_aliases</c> that list only endpoints also advertised directly. Plus the suite's warning check:
/// no metadata outside the registered names.
/// </summary>
public sealed class Fapi2SpFinalDiscoveryEndpointVerification(Fapi2Deployment deployment) : IClassFixture<Fapi2Deployment>
{
    /// <summary>Exactly what a client-credentials mTLS server advertises; every name is registered (RFC 8414, RFC 8705).</summary>
    private static readonly string[] AdvertisedMetadata =
    [
        "grant_types_supported", "introspection_endpoint", "introspection_endpoint_auth_methods_supported", "issuer", "jwks_uri",
        "mtls_endpoint_aliases", "revocation_endpoint", "revocation_endpoint_auth_methods_supported", "scopes_supported",
        "tls_client_certificate_bound_access_tokens", "token_endpoint", "token_endpoint_auth_methods_supported",
    ];

    [Fact]
    public async Task Discovery_is_served_as_json_at_the_oauth_well_known_location()
    {
        using var client = MtlsHttpClient.Create(deployment.Pki, null);
        using var response = await client.GetAsync(new Uri(deployment.Server.PublicUri, ".well-known/oauth-authorization-server"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_issuer_is_the_location_discovery_was_fetched_from_and_a_valid_issuer_url()
    {
        var metadata = await MetadataAsync();
        var issuer = new Uri(metadata.GetProperty("issuer").GetString()!);

        Assert.Equal(deployment.Server.PublicUri.AbsoluteUri.TrimEnd('/'), issuer.AbsoluteUri.TrimEnd('/'));
        Assert.Equal("https", issuer.Scheme);
        Assert.True(issuer.Query.Length == 0 && issuer.Fragment.Length == 0 && issuer.UserInfo.Length == 0, issuer.AbsoluteUri);
    }

    [Fact]
    public async Task Only_registered_metadata_is_advertised_and_nothing_a_client_credentials_server_cannot_serve()
    {
        var metadata = await MetadataAsync();

        Assert.Equal(AdvertisedMetadata, metadata.EnumerateObject().Select(property => property.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Certificate_bound_access_tokens_are_advertised_as_the_json_boolean_true()
    {
        var bound = (await MetadataAsync()).GetProperty("tls_client_certificate_bound_access_tokens");

        Assert.Equal(JsonValueKind.True, bound.ValueKind);
    }

    [Fact]
    public async Task Only_mtls_client_authentication_is_advertised_at_every_endpoint()
    {
        var metadata = await MetadataAsync();

        foreach (var name in new[] { "token_endpoint_auth_methods_supported", "introspection_endpoint_auth_methods_supported", "revocation_endpoint_auth_methods_supported" })
        {
            Assert.Equal(["self_signed_tls_client_auth", "tls_client_auth"], Strings(metadata.GetProperty(name)).Order(StringComparer.Ordinal));
        }

        Assert.False(metadata.TryGetProperty("token_endpoint_auth_signing_alg_values_supported", out _), "no signed client assertions are accepted");
    }

    [Fact]
    public async Task Endpoints_are_https_and_no_registration_endpoint_is_advertised()
    {
        var metadata = await MetadataAsync();

        foreach (var name in new[] { "token_endpoint", "introspection_endpoint", "revocation_endpoint", "jwks_uri" })
        {
            Assert.Equal("https", new Uri(metadata.GetProperty(name).GetString()!).Scheme);
        }

        Assert.False(metadata.TryGetProperty("registration_endpoint", out _));
    }

    [Fact]
    public async Task Scopes_supported_are_the_registered_scopes_as_valid_scope_tokens()
    {
        var scopes = Strings((await MetadataAsync()).GetProperty("scopes_supported")).ToList();

        Assert.Equal(["api:read", "api:write"], scopes.Order(StringComparer.Ordinal));
        // RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
        Assert.All(scopes, scope => Assert.True(scope.Length > 0 && scope.All(c => c is '\x21' or (>= '\x23' and <= '\x5B') or (>= '\x5D' and <= '\x7E')), scope));
    }

    [Fact]
    public async Task The_client_credentials_grant_is_supported()
    {
        Assert.Equal(["client_credentials"], Strings((await MetadataAsync()).GetProperty("grant_types_supported")));
    }

    [Fact]
    public async Task Mtls_endpoint_aliases_name_only_directly_called_endpoints_that_are_also_advertised()
    {
        var metadata = await MetadataAsync();
        var aliases = metadata.GetProperty("mtls_endpoint_aliases");

        Assert.Equal(JsonValueKind.Object, aliases.ValueKind);
        foreach (var alias in aliases.EnumerateObject())
        {
            Assert.EndsWith("_endpoint", alias.Name, StringComparison.Ordinal);
            Assert.NotEqual("authorization_endpoint", alias.Name);
            Assert.True(metadata.TryGetProperty(alias.Name, out _), $"{alias.Name} is only in mtls_endpoint_aliases");
            Assert.Equal("https", new Uri(alias.Value.GetString()!).Scheme);
        }

        Assert.Equal(deployment.TokenEndpoint.AbsoluteUri, aliases.GetProperty("token_endpoint").GetString());
    }

    private async Task<JsonElement> MetadataAsync()
    {
        using var client = MtlsHttpClient.Create(deployment.Pki, null);
        return await client.GetFromJsonAsync<JsonElement>(new Uri(deployment.Server.PublicUri, ".well-known/oauth-authorization-server"));
    }

    private static IEnumerable<string> Strings(JsonElement array) => array.EnumerateArray().Select(item => item.GetString()!);
}
