using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MtlsAuthServer.Tests.Infrastructure;

/// <summary>RFC 7662 introspection and RFC 7009 revocation requests, authenticated by the calling client's certificate.</summary>
public static class IntrospectionRequests
{
    public static Task<HttpResponseMessage> IntrospectAsync(this HttpClient client, string clientId, string token) =>
        client.PostAsync("introspect", OAuth.Form(("client_id", clientId), ("token", token)));

    /// <summary>The <c>active</c> member of a successful introspection answer.</summary>
    public static async Task<bool> IsActiveAsync(this HttpClient client, string clientId, string token)
    {
        using var response = await client.IntrospectAsync(clientId, token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("active").GetBoolean();
    }

    /// <summary>The <c>active</c> member of the answer to the resource API's client (<c>sample-resource-api</c>, a fresh certificate).</summary>
    public static async Task<bool> IsActiveForResourceApiAsync(this TokenServerHost host, string token)
    {
        using var certificate = host.Pki.IssueClient("CN=sample-resource-api, O=Test Org");
        using var resource = host.CreateMtlsClient(certificate);
        return await resource.IsActiveAsync("sample-resource-api", token);
    }

    public static Task<HttpResponseMessage> RevokeAsync(this HttpClient client, string clientId, string token) =>
        client.PostAsync("revoke", OAuth.Form(("client_id", clientId), ("token", token)));
}
