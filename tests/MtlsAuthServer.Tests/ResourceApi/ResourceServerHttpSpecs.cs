using System.Net;

namespace MtlsAuthServer.Tests.ResourceApi;

/// <summary>HTTP details FAPI-grade resource servers get right: a case-insensitive auth-scheme and a <c>Date</c> on every answer.</summary>
public sealed class ResourceServerHttpSpecs(BoundTokenEnvironment environment) : IClassFixture<BoundTokenEnvironment>
{
    public static TheoryData<string, string> SchemesAndModes
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var mode in new[] { BoundTokenEnvironment.Local, BoundTokenEnvironment.Introspection })
            {
                foreach (var scheme in new[] { "bEARER", "bearer", "BEARER" })
                {
                    data.Add(scheme, mode);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(SchemesAndModes))]
    public async Task The_bearer_scheme_is_matched_case_insensitively(string scheme, string mode)
    {
        // RFC 9110 §11.1: the auth-scheme is a case-insensitive token.
        var api = environment.Api(mode);
        var token = await environment.TokenAsync(environment.Payments, "payments");
        using var client = api.CreateMtlsClient(environment.Payments);
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/whoami");
        Assert.True(request.Headers.TryAddWithoutValidation("Authorization", $"{scheme} {token}"));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("api/whoami", true, HttpStatusCode.OK)]
    [InlineData("api/whoami", false, HttpStatusCode.Unauthorized)]
    [InlineData(".well-known/oauth-protected-resource", false, HttpStatusCode.OK)]
    public async Task Every_answer_carries_a_date_header(string path, bool withToken, HttpStatusCode expected)
    {
        // RFC 9110 §6.6.1: an origin server with a clock sends Date (FAPI clients use it to spot clock skew).
        var api = environment.LocalApi;
        var token = withToken ? await environment.TokenAsync(environment.Payments, "payments") : null;

        using var response = await BoundTokenEnvironment.CallAsync(api, environment.Payments, token, path: path);

        Assert.Equal(expected, response.StatusCode);
        var date = Assert.NotNull(response.Headers.Date);
        Assert.InRange(date, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }
}
