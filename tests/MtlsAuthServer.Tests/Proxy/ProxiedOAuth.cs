namespace MtlsAuthServer.Tests.Proxy;

/// <summary>Token requests to an absolute base URL (a proxy's entry point rather than the client's base address).</summary>
internal static class ProxiedOAuth
{
    public static Task<HttpResponseMessage> RequestTokenAsync(this HttpClient client, Uri baseUri, string clientId) =>
        client.PostAsync(new Uri(baseUri, "token"), Infrastructure.OAuth.Form(("grant_type", "client_credentials"), ("client_id", clientId)));
}
