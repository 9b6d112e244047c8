using System.Net;
using MtlsAuthServer.Tests.Infrastructure;
using static MtlsAuthServer.Tests.ResourceApi.ResourceApiAssertions;

namespace MtlsAuthServer.Tests.ResourceApi;

/// <summary>
/// Introspection mode (RFC 7662): the API authenticates to the token server's mTLS alias with its own certificate,
/// caches active results for <c>TokenValidation:Introspection:CacheDuration</c>, and so sees a revocation at
/// <c>/revoke</c> at the latest when that cache entry expires.
/// </summary>
public sealed class IntrospectionSpecs(IntrospectionEnvironment environment) : IClassFixture<IntrospectionEnvironment>
{
    [Fact]
    public async Task A_token_revoked_at_the_token_server_is_refused_when_results_are_not_cached()
    {
        var api = environment.UncachedApi;
        var token = await TokenAsync();
        using (var accepted = await BoundTokenEnvironment.CallAsync(api, environment.Payments, token))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        await RevokeAsync(token);
        var (response, rejections) = await ObserveAsync(api, () => BoundTokenEnvironment.CallAsync(api, environment.Payments, token));

        using (response)
        {
            AssertInvalidToken(response, rejections, "token_inactive", environment.Payments);
        }
    }

    [Fact]
    public async Task Without_a_cache_every_request_is_introspected()
    {
        var token = await TokenAsync();
        using var introspections = environment.TokenServer.CollectAuthentications();

        for (var i = 0; i < 3; i++)
        {
            using var response = await BoundTokenEnvironment.CallAsync(environment.UncachedApi, environment.Payments, token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(3, IntrospectionsBy(introspections));
    }

    [Fact]
    public async Task A_cached_result_spares_the_token_server_and_honours_a_revoked_token_until_it_expires()
    {
        var api = environment.CachedApi;
        var token = await TokenAsync();
        using var introspections = environment.TokenServer.CollectAuthentications();

        for (var i = 0; i < 3; i++)
        {
            using var response = await BoundTokenEnvironment.CallAsync(api, environment.Payments, token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(1, IntrospectionsBy(introspections));

        // The documented revocation delay: the cached "active" answer stands for up to CacheDuration...
        await RevokeAsync(token);
        using (var stillCached = await BoundTokenEnvironment.CallAsync(api, environment.Payments, token))
        {
            Assert.Equal(HttpStatusCode.OK, stillCached.StatusCode);
        }

        // ...and once it has expired the token server is asked again and says "inactive".
        using var later = api.Clock.Shift(TimeSpan.FromSeconds(31));
        var (refused, rejections) = await ObserveAsync(api, () => BoundTokenEnvironment.CallAsync(api, environment.Payments, token));
        using (refused)
        {
            AssertInvalidToken(refused, rejections, "token_inactive", environment.Payments);
        }
    }

    [Fact]
    public async Task The_cache_never_lets_a_replayed_token_through_with_another_certificate()
    {
        var api = environment.CachedApi;
        var token = await TokenAsync();
        using (var first = await BoundTokenEnvironment.CallAsync(api, environment.Payments, token))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var thief = environment.Pki.IssueClient("CN=payments, O=Test Org");
        var (response, rejections) = await ObserveAsync(api, () => BoundTokenEnvironment.CallAsync(api, thief, token));

        using (response)
        {
            AssertInvalidToken(response, rejections, "binding_mismatch", thief);
        }
    }

    private async Task<string> TokenAsync()
    {
        using var client = environment.TokenServer.CreateMtlsClient(environment.Payments);
        return await client.GetAccessTokenAsync("payments");
    }

    private async Task RevokeAsync(string token)
    {
        using var client = environment.TokenServer.CreateMtlsClient(environment.Payments);
        using var response = await client.PostAsync("revoke", OAuth.Form(("token", token), ("client_id", "payments")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static int IntrospectionsBy(Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<long> collector) =>
        collector.GetMeasurementSnapshot().Count(m => (string?)m.Tags["endpoint"] == "introspection" && (string?)m.Tags["outcome"] == "success");
}
