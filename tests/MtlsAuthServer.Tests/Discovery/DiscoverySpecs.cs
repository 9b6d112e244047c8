using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MtlsAuthServer.Tests.Infrastructure;
using MtlsAuthServer.Tests.TokenEndpoint;

namespace MtlsAuthServer.Tests.Discovery;

/// <summary>RFC 8414 metadata advertising the RFC 8705 capabilities, served without a client certificate.</summary>
public sealed class DiscoverySpecs(StandardTokenServer server) : IClassFixture<StandardTokenServer>
{
    [Theory]
    [InlineData(".well-known/oauth-authorization-server")]
    [InlineData(".well-known/openid-configuration")]
    public async Task Discovery_advertises_mtls_client_authentication_and_bound_tokens(string path)
    {
        var metadata = await GetPublicAsync(path);

        Assert.Equal(server.Host.PublicUri.AbsoluteUri, metadata.GetProperty("issuer").GetString());
        var methods = metadata.GetProperty("token_endpoint_auth_methods_supported").EnumerateArray().Select(m => m.GetString()).ToList();
        Assert.Equal(["self_signed_tls_client_auth", "tls_client_auth"], methods.Order());
        Assert.True(metadata.GetProperty("tls_client_certificate_bound_access_tokens").GetBoolean());
        Assert.Contains("client_credentials", metadata.GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString()));
        Assert.EndsWith("/token", metadata.GetProperty("token_endpoint").GetString());
        Assert.EndsWith("/introspect", metadata.GetProperty("introspection_endpoint").GetString());
        Assert.EndsWith("/revoke", metadata.GetProperty("revocation_endpoint").GetString());

        var aliases = metadata.GetProperty("mtls_endpoint_aliases");
        Assert.Equal(new Uri(server.Host.MtlsUri, "token").AbsoluteUri, aliases.GetProperty("token_endpoint").GetString());
        Assert.Equal(new Uri(server.Host.MtlsUri, "introspect").AbsoluteUri, aliases.GetProperty("introspection_endpoint").GetString());
        Assert.Equal(new Uri(server.Host.MtlsUri, "revoke").AbsoluteUri, aliases.GetProperty("revocation_endpoint").GetString());
    }

    [Theory]
    [InlineData(".well-known/oauth-authorization-server")]
    [InlineData(".well-known/openid-configuration")]
    public async Task Discovery_lists_the_registered_scopes_and_no_metadata_of_features_the_server_lacks(string path)
    {
        var metadata = await GetPublicAsync(path);

        Assert.Equal(["api:read", "api:write"], metadata.GetProperty("scopes_supported").EnumerateArray().Select(s => s.GetString()).Order());
        string[] unserved =
        [
            "prompt_values_supported", "subject_types_supported", "id_token_signing_alg_values_supported", "claims_supported",
            "claims_parameter_supported", "request_parameter_supported", "request_uri_parameter_supported",
            "authorization_response_iss_parameter_supported", "require_pushed_authorization_requests", "response_types_supported",
        ];
        Assert.All(unserved, name => Assert.False(metadata.TryGetProperty(name, out _), name));
    }

    [Fact]
    public async Task The_signing_key_is_published_in_the_jwks()
    {
        var metadata = await GetPublicAsync(".well-known/oauth-authorization-server");
        var jwks = await GetPublicAsync(new Uri(metadata.GetProperty("jwks_uri").GetString()!).PathAndQuery.TrimStart('/'));

        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray());
        Assert.Equal("EC", key.GetProperty("kty").GetString());
        Assert.Equal("P-256", key.GetProperty("crv").GetString());
        Assert.False(key.TryGetProperty("d", out _), "the private key must never be published");
    }

    private async Task<JsonElement> GetPublicAsync(string path)
    {
        // The public listener asks for no client certificate: resource servers fetch metadata freely.
        using var client = MtlsHttpClient.Create(server.Pki, null);
        using var response = await client.GetAsync(new Uri(server.Host.PublicUri, path));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
