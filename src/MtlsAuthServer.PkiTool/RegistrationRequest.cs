using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.PkiTool;

/// <summary>
/// <c>issue-client --register URL</c>: registers the issued certificate at the token server's RFC 7591 endpoint, over
/// mTLS with that certificate (the server's certificate verified against this folder's root CA, never "accept any"),
/// authorized by an initial access token read from a file. The answer, which holds the registration access token, is
/// written to a 0600 file next to the certificate; only the client_id and the file are printed.
/// </summary>
internal static class RegistrationRequest
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static (string ClientId, string SavedTo) Register(
        Uri endpoint, string initialAccessTokenFile, JsonObject metadata, X509Certificate2? certificate, DevelopmentPkiLayout layout, string savePath)
    {
        var token = File.ReadAllText(initialAccessTokenFile).Trim();
        if (token.Length == 0)
        {
            throw new PkiToolException($"--initial-access-token-file '{initialAccessTokenFile}' is empty.");
        }

        metadata.Remove("client_id"); // RFC 7591 §3.2.1: the server assigns it
        var trust = new X509Certificate2Collection();
        trust.ImportFromPemFile(layout.RootCertificate);
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck, DisableCertificateDownloads = true };
        policy.CustomTrustStore.AddRange(trust);
        if (File.Exists(layout.IssuingCertificate))
        {
            policy.ExtraStore.ImportFromPemFile(layout.IssuingCertificate);
        }

        var ssl = new SslClientAuthenticationOptions { CertificateChainPolicy = policy };
        if (certificate is not null)
        {
            ssl.ClientCertificateContext = SslStreamCertificateContext.Create(certificate, [.. policy.ExtraStore], offline: true);
        }

        using var client = new HttpClient(new SocketsHttpHandler { SslOptions = ssl }) { Timeout = Timeout };
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent(metadata.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        string body;
        System.Net.HttpStatusCode status;
        try
        {
            using var response = client.Send(request);
            using var reader = new StreamReader(response.Content.ReadAsStream());
            body = reader.ReadToEnd();
            status = response.StatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            throw new PkiToolException($"--register: {endpoint} could not be reached: {exception.Message}");
        }

        JsonElement answer;
        try
        {
            answer = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            throw new PkiToolException($"--register: {endpoint} answered {(int)status} without a JSON body.");
        }

        if (status != System.Net.HttpStatusCode.Created || !answer.TryGetProperty("client_id", out var clientId) || clientId.ValueKind != JsonValueKind.String)
        {
            var error = answer.TryGetProperty("error", out var code) ? code.ToString() : "-";
            var description = answer.TryGetProperty("error_description", out var text) ? text.ToString() : string.Empty;
            throw new PkiToolException($"--register: refused with {(int)status} {error}: {description}");
        }

        PemFiles.WriteSecret(savePath, body + "\n");
        return (clientId.GetString()!, savePath);
    }
}
