using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Fapi2;

/// <summary>
/// Suite module <c>fapi2-security-profile-final-ensure-client-id-in-token-endpoint</c>: the second client's
/// <c>client_id</c> with the first client's certificate is <c>invalid_client</c> (400 or 401), a JSON error whose
/// description and URI are well-formed (RFC 6749 §5.2).
/// </summary>
public sealed class Fapi2SpFinalEnsureClientIdInTokenEndpoint(Fapi2Deployment deployment) : IClassFixture<Fapi2Deployment>
{
    [Fact]
    public async Task Another_clients_id_with_this_clients_certificate_is_invalid_client()
    {
        using var client = deployment.Server.CreateMtlsClient(deployment.Certificate1);
        using var response = await client.RequestTokenAsync(Fapi2Deployment.Client2, Fapi2Deployment.Scope);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, response.StatusCode.ToString());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid_client", error.GetProperty("error").GetString());
        Assert.False(error.TryGetProperty("access_token", out _));

        // RFC 6749 §5.2: error_description is %x20-21 / %x23-5B / %x5D-7E (so no CR, LF or TAB); error_uri a URI.
        if (error.TryGetProperty("error_description", out var description))
        {
            Assert.All(description.GetString()!, c => Assert.True(c is '\x20' or '\x21' or (>= '\x23' and <= '\x5B') or (>= '\x5D' and <= '\x7E'), $"U+{(int)c:X4}"));
        }

        if (error.TryGetProperty("error_uri", out var uri))
        {
            Assert.True(Uri.TryCreate(uri.GetString(), UriKind.Absolute, out _), uri.GetString());
        }
    }

    [Fact]
    public async Task The_same_request_with_the_matching_client_id_succeeds()
    {
        // The check above must fail for the client_id, not for the certificate.
        Assert.NotEmpty(await deployment.AccessTokenAsync(deployment.Certificate1, Fapi2Deployment.Client1));
    }
}
