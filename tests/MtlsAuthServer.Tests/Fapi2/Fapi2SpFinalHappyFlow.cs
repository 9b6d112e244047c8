using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Fapi2;

/// <summary>
/// Suite module <c>fapi2-security-profile-final-happy-flow</c> for the client-credentials variant: both clients get
/// a token (no refresh or ID token, sane <c>expires_in</c>, at least 128 bits of entropy) and use it at the resource
/// endpoint (200 with a current <c>Date</c>, with the Accept headers the suite tries); the token is refused in the
/// query string; the first client's certificate with the second client's token is refused (RFC 8705 §3). The resource
/// endpoint's TLS versions are checked as the suite does.
/// </summary>
public sealed class Fapi2SpFinalHappyFlow(Fapi2Deployment deployment) : IClassFixture<Fapi2Deployment>
{
    public static TheoryData<int> Clients => [1, 2];

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task The_token_response_is_a_short_lived_bearer_token_without_refresh_or_id_token(int which)
    {
        var (certificate, clientId) = Client(which);
        using var client = deployment.Server.CreateMtlsClient(certificate);
        using var response = await client.RequestTokenAsync(clientId, Fapi2Deployment.Scope);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("bearer", body.GetProperty("token_type").GetString(), ignoreCase: true);
        var expiresIn = body.GetProperty("expires_in").GetInt64();
        Assert.InRange(expiresIn, 1, (long)TimeSpan.FromMinutes(10).TotalSeconds);
        Assert.False(body.TryGetProperty("refresh_token", out _));
        Assert.False(body.TryGetProperty("id_token", out _));
        var token = body.GetProperty("access_token").GetString()!;
        Assert.True(token.Length * 8 >= 128, "the suite requires at least 128 bits of access token");
        // FAPI 2.0 SP §5.4.1: ≥ 128 bits of entropy; the identifier alone carries 256 random bits (AccessTokenIdentifierSpecs).
        Assert.True(Base64Url.DecodeFromChars(OAuth.DecodePayload(token).GetProperty("jti").GetString()).Length * 8 >= 128);
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task The_bound_token_is_accepted_at_the_resource_endpoint_with_a_current_date(int which)
    {
        var (certificate, clientId) = Client(which);
        var token = await deployment.AccessTokenAsync(certificate, clientId);

        using var response = await deployment.CallResourceAsync(certificate, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var date = Assert.IsType<DateTimeOffset>(response.Headers.Date);
        Assert.InRange(date, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Matches(@"^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$", response.Headers.GetValues("Date").Single());
        _ = DateTimeOffset.ParseExact(response.Headers.GetValues("Date").Single(), "r", CultureInfo.InvariantCulture);
    }

    [Theory]
    [InlineData("application/json; charset=UTF-8")]
    [InlineData("*/*")]
    public async Task The_resource_endpoint_accepts_the_accept_headers_the_suite_sends(string accept)
    {
        var token = await deployment.AccessTokenAsync(deployment.Certificate1, Fapi2Deployment.Client1);

        using var response = await deployment.CallResourceAsync(deployment.Certificate1, token, accept: accept);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_access_token_only_in_the_query_string_is_refused()
    {
        var token = await deployment.AccessTokenAsync(deployment.Certificate1, Fapi2Deployment.Client1);
        using var client = deployment.Resource.CreateMtlsClient(deployment.Certificate1);

        using var response = await client.GetAsync(new Uri(deployment.ResourceEndpoint, "?access_token=" + Uri.EscapeDataString(token)));

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.RequestUriTooLong, response.StatusCode.ToString());
    }

    [Fact]
    public async Task The_first_clients_certificate_with_the_second_clients_token_is_refused()
    {
        var secondClientsToken = await deployment.AccessTokenAsync(deployment.Certificate2, Fapi2Deployment.Client2);

        using var response = await deployment.CallResourceAsync(deployment.Certificate1, secondClientsToken);

        Assert.InRange((int)response.StatusCode, 400, 499);
    }

    [Fact]
    public Task The_resource_endpoint_accepts_tls_1_2_with_the_fapi_suites() => Fapi2TlsProbe.AssertTls12WithPermittedSuitesAsync(deployment.ResourceEndpoint, deployment.Pki);

    [Fact]
    public Task The_resource_endpoint_refuses_other_tls_1_2_suites_in_the_handshake() => Fapi2TlsProbe.AssertOtherTls12SuitesRefusedAsync(deployment.ResourceEndpoint, deployment.Pki);

    [Theory]
    [InlineData("tls1")]
    [InlineData("tls1_1")]
    public Task The_resource_endpoint_refuses_tls_below_1_2(string protocol) => Fapi2TlsProbe.AssertProtocolRefusedAsync(deployment.ResourceEndpoint, deployment.Pki, protocol);

    [Fact]
    public Task The_resource_endpoint_prefers_tls_1_3() => Fapi2TlsProbe.AssertTls13PreferredAsync(deployment.ResourceEndpoint, deployment.Pki);

    private (System.Security.Cryptography.X509Certificates.X509Certificate2 Certificate, string ClientId) Client(int which) =>
        which == 1 ? (deployment.Certificate1, Fapi2Deployment.Client1) : (deployment.Certificate2, Fapi2Deployment.Client2);
}
