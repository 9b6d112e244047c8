using System.Net;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.ResourceApi;

/// <summary>
/// The API's own certificate for introspection (tls_client_auth, RFC 8705 §2.1): it is presented with the
/// intermediates stored in its file, so a token server that holds only the root can build the chain; and when the
/// token server refuses it anyway, the API's log says what the token server answered.
/// </summary>
public sealed class IntrospectionClientCertificateSpecs
{
    [Fact]
    public async Task The_api_presents_the_intermediates_of_its_certificate_file_so_a_token_server_holding_only_the_root_accepts_it()
    {
        using var pki = TestPki.Create();
        using var tokenServer = StartTokenServerWithoutIntermediates(pki);
        using var api = ResourceApiHost.Start(pki, tokenServer, BoundTokenEnvironment.Introspection, withIssuingCa: true,
            configure: settings => settings["TokenValidation:Introspection:CacheDuration"] = "00:00:00");
        using var payments = pki.IssueClient("CN=payments, O=Test Org");
        var token = await TokenAsync(tokenServer, payments);

        using var response = await BoundTokenEnvironment.CallAsync(api, payments, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(api.Logs.WithEventId(5002));
        Assert.Empty(api.Logs.WithEventId(5005));
    }

    [Fact]
    public async Task When_the_token_server_refuses_the_apis_credentials_the_api_answers_503_and_logs_what_the_token_server_said()
    {
        using var pki = TestPki.Create();
        using var tokenServer = StartTokenServerWithoutIntermediates(pki);
        using var api = ResourceApiHost.Start(pki, tokenServer, BoundTokenEnvironment.Introspection, withIssuingCa: true,
            configure: settings => settings["TokenValidation:Introspection:ClientId"] = "unregistered-api");
        using var payments = pki.IssueClient("CN=payments, O=Test Org");
        var token = await TokenAsync(tokenServer, payments);

        using var response = await BoundTokenEnvironment.CallAsync(api, payments, token);

        // Not the caller's fault: the same retryable answer as an unreachable token server...
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Empty(response.Headers.WwwAuthenticate);
        Assert.Empty(api.Rejections);
        // ...but the log names the refusal, not an absent answer.
        Assert.Empty(api.Logs.WithEventId(5002));
        var refused = Assert.Single(api.Logs.WithEventId(5005));
        Assert.Equal("401", refused["Status"]);
        Assert.Equal("invalid_client", refused["Error"]);
    }

    /// <summary>A token server configured with the root only (no <c>TrustAnchors:IntermediatesPath</c>).</summary>
    private static TokenServerHost StartTokenServerWithoutIntermediates(TestPki pki) =>
        TokenServerHost.Start(pki, settings =>
        {
            settings.AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org", "api:read api:write")
                .AddTlsClient("sample-resource-api", "tls_client_auth_subject_dn", "CN=sample-resource-api,O=Test Org", scope: null);
            settings["TrustAnchors:IntermediatesPath"] = string.Empty;
        });

    private static async Task<string> TokenAsync(TokenServerHost tokenServer, System.Security.Cryptography.X509Certificates.X509Certificate2 payments)
    {
        // The caller itself presents its issuing CA: this token server holds only the root.
        using var client = tokenServer.CreateMtlsClient(payments, tokenServer.Pki.Issuing.Certificate);
        return await client.GetAccessTokenAsync("payments");
    }
}
