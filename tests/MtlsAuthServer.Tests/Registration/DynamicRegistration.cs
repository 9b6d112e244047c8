using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MtlsAuthServer.Registration;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Registration;

/// <summary>RFC 7591/7592 requests to a test host, and the configuration that turns registration on.</summary>
public static class DynamicRegistration
{
    public const string InitialAccessToken = "initial-access-token-for-tests-0123456789";

    /// <summary>Registration enabled with <see cref="InitialAccessToken"/>, api:read allowed, a resource API client to introspect with.</summary>
    public static TokenServerSettings Enable(TokenServerSettings settings)
    {
        settings["Registration:Enabled"] = "true";
        settings["Registration:InitialAccessTokenHashes:0"] = ClientRegistrationService.Hash(InitialAccessToken);
        settings["Registration:Scopes:0"] = "api:read";
        settings["Serilog:MinimumLevel:Override:MtlsAuthServer.Audit"] = "Information";
        return settings.AddTlsClient("sample-resource-api", "tls_client_auth_subject_dn", ResourceDn, scope: null);
    }

    public const string ResourceDn = "CN=sample-resource-api,O=Test Org";

    public static JsonObject SelfSigned(params X509Certificate2[] certificates) => new()
    {
        ["token_endpoint_auth_method"] = "self_signed_tls_client_auth",
        ["client_name"] = "Partner",
        ["scope"] = "api:read",
        ["jwks"] = Jwks(certificates),
    };

    public static JsonObject Jwks(params X509Certificate2[] certificates) => new()
    {
        ["keys"] = new JsonArray([.. certificates.Select(c => (JsonNode)new JsonObject { ["kty"] = "EC", ["x5c"] = new JsonArray(Convert.ToBase64String(c.RawData)) })]),
    };

    public static Task<HttpResponseMessage> RegisterAsync(this HttpClient client, JsonNode metadata, string? bearer = InitialAccessToken) =>
        client.RegisterRawAsync(metadata.ToJsonString(), bearer);

    public static Task<HttpResponseMessage> RegisterRawAsync(this HttpClient client, string body, string? bearer = InitialAccessToken, string mediaType = "application/json") =>
        client.SendAsync(Request(HttpMethod.Post, "register", bearer, new StringContent(body, Encoding.UTF8, mediaType)));

    public static async Task<Registered> RegisteredAsync(this HttpClient client, JsonNode metadata)
    {
        using var response = await client.RegisterAsync(metadata);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new Registered(body.GetProperty("client_id").GetString()!, body.GetProperty("registration_access_token").GetString()!,
            new Uri(body.GetProperty("registration_client_uri").GetString()!), body);
    }

    public static Task<HttpResponseMessage> ManageAsync(this HttpClient client, HttpMethod method, Registered registered, JsonNode? metadata = null, string? token = null) =>
        client.SendAsync(Request(method, registered.ClientUri.AbsoluteUri, token ?? registered.RegistrationAccessToken,
            metadata is null ? null : new StringContent(metadata.ToJsonString(), Encoding.UTF8, "application/json")));

    private static HttpRequestMessage Request(HttpMethod method, string uri, string? bearer, HttpContent? content)
    {
        var request = new HttpRequestMessage(method, uri) { Content = content };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return request;
    }

    public sealed record Registered(string ClientId, string RegistrationAccessToken, Uri ClientUri, JsonElement Response);
}
