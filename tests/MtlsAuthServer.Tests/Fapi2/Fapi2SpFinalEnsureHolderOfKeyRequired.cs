using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Fapi2;

/// <summary>
/// Suite module <c>fapi2-security-profile-final-ensure-holder-of-key-required</c>: the token endpoint (as advertised in
/// <c>mtls_endpoint_aliases</c>) keeps FAPI 2.0's TLS rules, and a valid client-credentials request without the
/// holder-of-key mechanism (no client certificate) fails — in TLS, or as 400/401 <c>invalid_client</c>/<c>invalid_request</c>.
/// </summary>
public sealed class Fapi2SpFinalEnsureHolderOfKeyRequired(Fapi2Deployment deployment) : IClassFixture<Fapi2Deployment>
{
    [Fact]
    public Task Tls_1_2_with_the_fapi_suites_is_accepted() => Fapi2TlsProbe.AssertTls12WithPermittedSuitesAsync(deployment.TokenEndpoint, deployment.Pki);

    [Fact]
    public Task No_other_tls_1_2_suite_is_ever_chosen() => Fapi2TlsProbe.AssertOtherTls12SuitesRefusedAsync(deployment.TokenEndpoint, deployment.Pki);

    [Theory]
    [InlineData("tls1")]
    [InlineData("tls1_1")]
    public Task Tls_below_1_2_is_refused(string protocol) => Fapi2TlsProbe.AssertProtocolRefusedAsync(deployment.TokenEndpoint, deployment.Pki, protocol);

    [Fact]
    public Task Tls_1_3_is_preferred_over_1_2() => Fapi2TlsProbe.AssertTls13PreferredAsync(deployment.TokenEndpoint, deployment.Pki);

    [Fact]
    public async Task A_token_request_without_a_client_certificate_is_refused()
    {
        using var client = MtlsHttpClient.Create(deployment.Pki, null);
        using var response = await client.PostAsync(deployment.TokenEndpoint, OAuth.Form(
            ("grant_type", "client_credentials"), ("client_id", Fapi2Deployment.Client1), ("scope", Fapi2Deployment.Scope)));

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, response.StatusCode.ToString());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString();
        Assert.True(error is "invalid_client" or "invalid_request", error);
    }
}
