using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.ScaleOut;

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

    public static Task<HttpResponseMessage> RevokeAsync(this HttpClient client, string clientId, string token) =>
        client.PostAsync("revoke", OAuth.Form(("client_id", clientId), ("token", token)));
}
