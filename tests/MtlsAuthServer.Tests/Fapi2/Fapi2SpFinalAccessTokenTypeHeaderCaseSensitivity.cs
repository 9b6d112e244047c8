using System.Net;

namespace MtlsAuthServer.Tests.Fapi2;

/// <summary>
/// Suite module <c>fapi2-security-profile-final-access-token-type-header-case-sensitivity</c>: the resource endpoint
/// treats the authentication scheme case-insensitively (RFC 9110 §11.1), e.g. <c>bEARER</c>.
/// </summary>
public sealed class Fapi2SpFinalAccessTokenTypeHeaderCaseSensitivity(Fapi2Deployment deployment) : IClassFixture<Fapi2Deployment>
{
    [Theory]
    [InlineData("bEARER")]
    [InlineData("bearer")]
    [InlineData("BEARER")]
    public async Task The_token_type_is_accepted_in_any_case(string scheme)
    {
        var token = await deployment.AccessTokenAsync(deployment.Certificate1, Fapi2Deployment.Client1);

        using var response = await deployment.CallResourceAsync(deployment.Certificate1, token, scheme);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
