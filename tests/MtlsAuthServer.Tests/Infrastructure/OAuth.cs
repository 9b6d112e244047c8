using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace MtlsAuthServer.Tests.Infrastructure;

/// <summary>Small helpers to speak OAuth to the test host and read its answers.</summary>
public static class OAuth
{
    public static FormUrlEncodedContent Form(params (string Key, string Value)[] pairs) =>
        new(pairs.Select(p => new KeyValuePair<string, string>(p.Key, p.Value)));

    public static Task<HttpResponseMessage> RequestTokenAsync(this HttpClient client, string clientId, string? scope = null)
    {
        var pairs = new List<(string, string)> { ("grant_type", "client_credentials"), ("client_id", clientId) };
        if (scope is not null)
        {
            pairs.Add(("scope", scope));
        }

        return client.PostAsync("token", Form([.. pairs]));
    }

    public static async Task<string> GetAccessTokenAsync(this HttpClient client, string clientId, string? scope = null)
    {
        using var response = await client.RequestTokenAsync(clientId, scope);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    public static async Task<string?> ErrorAsync(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.TryGetProperty("error", out var error) ? error.GetString() : null;
    }

    public static JsonElement DecodePayload(string jwt) =>
        JsonSerializer.Deserialize<JsonElement>(Base64Url.DecodeFromChars(jwt.Split('.')[1]));

    public static string Thumbprint(X509Certificate2 certificate) => Base64Url.EncodeToString(SHA256.HashData(certificate.RawData));

    /// <summary>Asserts a 401 invalid_client answer and that exactly this reason was logged for this certificate.</summary>
    public static async Task AssertRejectedAsync(HttpResponseMessage response, CapturedLogs logs, string reason, X509Certificate2? certificate)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", await response.ErrorAsync());
        var thumbprint = certificate is null ? "-" : Thumbprint(certificate);
        var logged = logs.Rejections.Where(e => e["Thumbprint"] == thumbprint).Select(e => e["Reason"]).ToList();
        Assert.True(logged.SequenceEqual([reason]),
            $"expected one '{reason}' rejection for {thumbprint}; logged: [{string.Join(", ", logged)}]; all rejections: "
            + string.Join(" | ", logs.Rejections.Select(e => e.Message)) + $"; {logs.Events.Count} events in all: "
            + string.Join(" | ", logs.Events.TakeLast(5).Select(e => $"{e.Category}/{e.EventId.Id}: {e.Message}")));
    }
}
