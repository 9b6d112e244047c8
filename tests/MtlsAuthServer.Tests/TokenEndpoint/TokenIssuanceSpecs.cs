using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.TokenEndpoint;

public sealed class TokenIssuanceSpecs : IDisposable
{
    private readonly TestPki _pki = TestPki.Create();

    [Fact]
    public async Task A_registered_client_gets_a_token_bound_to_its_certificate()
    {
        using var host = TokenServerHost.Start(_pki, s => s.AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org", "api:read api:write"));
        using var certificate = _pki.IssueClient("CN=payments, O=Test Org");
        using var client = host.CreateMtlsClient(certificate);

        using var response = await client.PostAsync("token", Form("grant_type=client_credentials", "client_id=payments"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.True(body.GetProperty("expires_in").GetInt32() > 0);
        var claims = DecodePayload(body.GetProperty("access_token").GetString()!);
        var expectedThumbprint = Base64Url.EncodeToString(SHA256.HashData(certificate.RawData));
        Assert.Equal(expectedThumbprint, claims.GetProperty("cnf").GetProperty("x5t#S256").GetString());
        Assert.Equal(host.PublicUri.AbsoluteUri, claims.GetProperty("iss").GetString());
        Assert.Equal("payments", claims.GetProperty("sub").GetString());
        Assert.Equal("payments", claims.GetProperty("client_id").GetString());
        Assert.Equal("sample-resource-api", claims.GetProperty("aud").GetString());
        Assert.Equal("api:read api:write", claims.GetProperty("scope").GetString());
        Assert.True(claims.TryGetProperty("jti", out _));
        Assert.True(claims.GetProperty("exp").GetInt64() > claims.GetProperty("iat").GetInt64());
    }

    public void Dispose() => _pki.Dispose();

    private static FormUrlEncodedContent Form(params string[] pairs) =>
        new(pairs.Select(p => p.Split('=', 2)).Select(p => new KeyValuePair<string, string>(p[0], p[1])));

    private static JsonElement DecodePayload(string jwt) =>
        JsonSerializer.Deserialize<JsonElement>(Base64Url.DecodeFromChars(jwt.Split('.')[1]));
}
