using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MtlsAuthServer.Tests.Infrastructure;
using static MtlsAuthServer.Tests.ResourceApi.ResourceApiAssertions;

namespace MtlsAuthServer.Tests.ResourceApi;

/// <summary>
/// RFC 9728: the API publishes its metadata at <c>/.well-known/oauth-protected-resource</c> without a token, from
/// configuration only (never from the Host header), and every 401 challenge points there (§5.1).
/// </summary>
public sealed class ProtectedResourceMetadataSpecs(BoundTokenEnvironment environment) : IClassFixture<BoundTokenEnvironment>
{
    private const string MetadataPath = ".well-known/oauth-protected-resource";

    public static TheoryData<string?> Hosts => ["attacker.example", "attacker.example:8445", null];

    [Fact]
    public async Task The_metadata_names_the_api_its_token_server_its_scopes_and_certificate_bound_header_tokens()
    {
        var api = environment.LocalApi;
        // No certificate and no token: the listener asks for a certificate but the handshake completes without one.
        using var client = api.CreateMtlsClient(null);

        using var response = await client.GetAsync(MetadataPath);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var metadata = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(
            ["authorization_servers", "bearer_methods_supported", "resource", "scopes_supported", "tls_client_certificate_bound_access_tokens"],
            metadata.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(api.Uri.AbsoluteUri, metadata.GetProperty("resource").GetString());
        Assert.Equal([environment.TokenServer.PublicUri.AbsoluteUri], Strings(metadata, "authorization_servers"));
        Assert.Equal(["api:read", "api:write"], Strings(metadata, "scopes_supported"));
        Assert.Equal(["header"], Strings(metadata, "bearer_methods_supported"));
        Assert.Equal(JsonValueKind.True, metadata.GetProperty("tls_client_certificate_bound_access_tokens").ValueKind);
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task The_metadata_comes_from_configuration_whatever_the_host_header(string? host)
    {
        var api = environment.LocalApi;
        using var client = MtlsHttpClient.WithAnyHostHeader(environment.Pki, environment.Payments);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(api.Uri, MetadataPath));
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        using var response = await client.SendAsync(request);
        var metadata = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(api.Uri.AbsoluteUri, metadata.GetProperty("resource").GetString());
        Assert.DoesNotContain("attacker.example", metadata.GetRawText(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BoundTokenSpecs.Modes), MemberType = typeof(BoundTokenSpecs))]
    public async Task A_request_without_a_token_is_challenged_with_the_metadata_url(string mode)
    {
        var api = environment.Api(mode);

        var (response, rejections) = await ObserveAsync(api, () => BoundTokenEnvironment.CallAsync(api, environment.Payments, token: null));

        using (response)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var challenge = Assert.Single(response.Headers.WwwAuthenticate);
            Assert.Equal("Bearer", challenge.Scheme);
            // RFC 6750 §3.1: no error code when the request carried no authentication information; RFC 9728 §5.1: the
            // pointer to the metadata still helps.
            Assert.Equal($"resource_metadata=\"{MetadataUri(api)}\"", challenge.Parameter);
            AssertLogged(rejections, "token_missing", environment.Payments);
        }
    }

    [Theory]
    [MemberData(nameof(BoundTokenSpecs.Modes), MemberType = typeof(BoundTokenSpecs))]
    public async Task An_invalid_token_is_challenged_with_invalid_token_and_the_metadata_url(string mode)
    {
        var api = environment.Api(mode);
        var token = environment.Minter.Mint(environment.TokenServer.PublicUri, "payments", cnf: null);

        var (response, rejections) = await ObserveAsync(api, () => BoundTokenEnvironment.CallAsync(api, environment.Payments, token));

        using (response)
        {
            AssertInvalidToken(response, rejections, "token_not_bound", environment.Payments);
            Assert.Contains($"resource_metadata=\"{MetadataUri(api)}\"", Assert.Single(response.Headers.WwwAuthenticate).Parameter, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_token_without_the_scope_is_forbidden_with_the_metadata_url()
    {
        var api = environment.LocalApi;
        var token = await environment.TokenAsync(environment.Reader, "reader");

        using var response = await BoundTokenEnvironment.CallAsync(api, environment.Reader, token, HttpMethod.Post, "api/orders");

        // RFC 9728 §5.1 allows the parameter on any challenge; the metadata lists the scope the client lacked.
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate).Parameter;
        Assert.Contains("error=\"insufficient_scope\"", challenge, StringComparison.Ordinal);
        Assert.Contains($"resource_metadata=\"{MetadataUri(api)}\"", challenge, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_challenges_metadata_url_does_not_follow_the_host_header()
    {
        var api = environment.LocalApi;
        using var client = MtlsHttpClient.WithAnyHostHeader(environment.Pki, environment.Payments);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(api.Uri, "api/whoami"));
        request.Headers.Host = "attacker.example";
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate).Parameter;
        Assert.Contains($"resource_metadata=\"{MetadataUri(api)}\"", challenge, StringComparison.Ordinal);
        Assert.DoesNotContain("attacker.example", challenge, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("http://api.example/")]
    [InlineData("https://api.example/?tenant=1")]
    [InlineData("api.example")]
    public void A_missing_or_invalid_resource_url_refuses_the_start_naming_the_key(string? resource)
    {
        var exception = Assert.ThrowsAny<Exception>(() => ResourceApiHost.Start(environment.Pki, environment.TokenServer, BoundTokenEnvironment.Local,
            configure: settings => settings["ResourceMetadata:Resource"] = resource ?? string.Empty).Dispose());

        Assert.Contains("ResourceMetadata:Resource", exception.ToString(), StringComparison.Ordinal);
    }

    private static string MetadataUri(ResourceApiHost api) => new Uri(api.Uri, MetadataPath).AbsoluteUri;

    private static List<string?> Strings(JsonElement metadata, string name) => [.. metadata.GetProperty(name).EnumerateArray().Select(s => s.GetString())];
}
