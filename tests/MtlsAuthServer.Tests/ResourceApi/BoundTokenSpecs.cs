using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MtlsAuthServer.Tests.Infrastructure;
using static MtlsAuthServer.Tests.ResourceApi.ResourceApiAssertions;

namespace MtlsAuthServer.Tests.ResourceApi;

/// <summary>
/// RFC 8705 §3 end to end: a token from the real token server is honoured by the real resource API only over a
/// connection presenting the very certificate it is bound to. Every case runs in both validation modes, with the
/// same outcome; only the logged reason may be less precise with introspection (the token server says "inactive").
/// </summary>
public sealed class BoundTokenSpecs(BoundTokenEnvironment environment) : IClassFixture<BoundTokenEnvironment>
{
    public static TheoryData<string> Modes => [BoundTokenEnvironment.Local, BoundTokenEnvironment.Introspection];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_bound_token_from_its_own_certificate_is_accepted(string mode)
    {
        var api = environment.Api(mode);
        var token = await environment.TokenAsync(environment.Payments, "payments");
        using var metrics = api.CollectTokenValidations();

        using var response = await BoundTokenEnvironment.CallAsync(api, environment.Payments, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("payments", body.GetProperty("client_id").GetString());
        Assert.Equal(OAuth.Thumbprint(environment.Payments), body.GetProperty("x5t#S256").GetString());
        Assert.Equal(["api:read", "api:write"], body.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()).Order());
        Assert.Equal(["sample-resource-api"], body.GetProperty("aud").EnumerateArray().Select(s => s.GetString()));
        Assert.Contains(metrics.GetMeasurementSnapshot(), m => (string?)m.Tags["outcome"] == "success" && string.Equals((string?)m.Tags["mode"], mode, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task The_same_token_replayed_with_another_valid_certificate_is_refused(string mode)
    {
        var api = environment.Api(mode);
        var token = await environment.TokenAsync(environment.Payments, "payments");
        using var metrics = api.CollectTokenValidations();

        var (response, rejections) = await ObserveAsync(api, () => BoundTokenEnvironment.CallAsync(api, environment.PaymentsOtherKey, token));

        using (response)
        {
            AssertInvalidToken(response, rejections, "binding_mismatch", environment.PaymentsOtherKey);
        }

        Assert.Contains(metrics.GetMeasurementSnapshot(), m => (string?)m.Tags["reason"] == "binding_mismatch" && (string?)m.Tags["outcome"] == "failure");
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_certificate_one_byte_away_from_the_bound_one_is_refused(string mode)
    {
        var api = environment.Api(mode);
        var token = await environment.TokenAsync(environment.Payments, "payments");
        // Same key, same subject, same everything but the last byte of the DER (inside the CA's signature): the TLS
        // handshake still proves possession of the key, only the thumbprint differs.
        var der = environment.Payments.RawData;
        der[^1] ^= 0x01;
        using var key = environment.Payments.GetECDsaPrivateKey()!;
        using var altered = X509CertificateLoader.LoadCertificate(der);
        using var twin = altered.CopyWithPrivateKey(key);

        var (response, rejections) = await ObserveAsync(api, () => BoundTokenEnvironment.CallAsync(api, twin, token));

        using (response)
        {
            AssertInvalidToken(response, rejections, "binding_mismatch", twin);
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_bound_token_over_a_connection_without_a_certificate_is_refused(string mode)
    {
        var api = environment.Api(mode);
        var token = await environment.TokenAsync(environment.Payments, "payments");

        var (response, rejections) = await ObserveAsync(api, () => BoundTokenEnvironment.CallAsync(api, null, token));

        using (response)
        {
            AssertInvalidToken(response, rejections, "no_client_certificate", null);
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_token_without_cnf_is_refused_where_binding_is_required(string mode)
    {
        var api = environment.Api(mode);
        // Signed with the token server's own key, so only the missing binding is wrong.
        var token = environment.Minter.Mint(environment.TokenServer.PublicUri, "payments", cnf: null);

        var (response, rejections) = await ObserveAsync(api, () => BoundTokenEnvironment.CallAsync(api, environment.Payments, token));

        using (response)
        {
            AssertInvalidToken(response, rejections, "token_not_bound", environment.Payments);
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task An_expired_token_is_refused(string mode)
    {
        var api = environment.Api(mode);
        var token = await environment.TokenAsync(environment.Payments, "payments");
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(OAuth.DecodePayload(token).GetProperty("exp").GetInt64());

        // The API's clock moves past exp + its clock skew (30 s); the token server's clock does not move, so in
        // introspection mode it still says "active" and the API's own exp check must refuse.
        using var shift = api.Clock.Shift(expiresAt - DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1));
        var (response, rejections) = await ObserveAsync(api, () => BoundTokenEnvironment.CallAsync(api, environment.Payments, token));

        using (response)
        {
            AssertInvalidToken(response, rejections, "token_expired", environment.Payments);
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_token_with_a_tampered_signature_is_refused(string mode)
    {
        var api = environment.Api(mode);
        var token = await environment.TokenAsync(environment.Payments, "payments");
        var parts = token.Split('.');
        var signature = parts[2].ToCharArray();
        signature[10] = signature[10] == 'A' ? 'B' : 'A';
        var tampered = $"{parts[0]}.{parts[1]}.{new string(signature)}";

        var (response, rejections) = await ObserveAsync(api, () => BoundTokenEnvironment.CallAsync(api, environment.Payments, tampered));

        using (response)
        {
            AssertInvalidToken(response, rejections, mode == BoundTokenEnvironment.Local ? "signature_invalid" : "token_inactive", environment.Payments);
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_token_issued_for_another_audience_is_refused(string mode)
    {
        var api = environment.Api(mode);
        var token = await environment.TokenAsync(environment.Elsewhere, "elsewhere");
        Assert.Equal("other-api", OAuth.DecodePayload(token).GetProperty("aud").GetString());

        var (response, rejections) = await ObserveAsync(api, () => BoundTokenEnvironment.CallAsync(api, environment.Elsewhere, token));

        using (response)
        {
            // The token server refuses to describe a token to a client it was not issued for (RFC 7662 §4).
            AssertInvalidToken(response, rejections, mode == BoundTokenEnvironment.Local ? "audience_invalid" : "token_inactive", environment.Elsewhere);
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_token_from_another_token_server_with_the_same_pki_is_refused(string mode)
    {
        var api = environment.Api(mode);
        var token = await environment.TokenAsync(environment.Payments, "payments", server: environment.ForeignTokenServer);
        Assert.Equal(environment.ForeignTokenServer.PublicUri.AbsoluteUri, OAuth.DecodePayload(token).GetProperty("iss").GetString());

        var (response, rejections) = await ObserveAsync(api, () => BoundTokenEnvironment.CallAsync(api, environment.Payments, token));

        using (response)
        {
            AssertInvalidToken(response, rejections, mode == BoundTokenEnvironment.Local ? "issuer_invalid" : "token_inactive", environment.Payments);
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_bound_token_from_a_certificate_outside_the_apis_trust_anchors_is_refused(string mode)
    {
        // The token server trusts the partner CA and binds the token; the API does not trust that CA.
        var api = environment.Api(mode);
        var token = await environment.TokenAsync(environment.Partner, "partner", intermediates: environment.PartnerPki.Issuing.Certificate);

        var (response, rejections) = await ObserveAsync(api, () => BoundTokenEnvironment.CallAsync(api, environment.Partner, token));

        using (response)
        {
            AssertInvalidToken(response, rejections, "chain_untrusted", environment.Partner);
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_token_without_the_required_scope_is_forbidden_with_insufficient_scope(string mode)
    {
        var api = environment.Api(mode);
        var token = await environment.TokenAsync(environment.Reader, "reader");

        var (response, rejections) = await ObserveAsync(api, () => BoundTokenEnvironment.CallAsync(api, environment.Reader, token, HttpMethod.Post, "api/orders"));

        using (response)
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            var challenge = Assert.Single(response.Headers.WwwAuthenticate);
            Assert.Equal("Bearer", challenge.Scheme);
            Assert.Contains("error=\"insufficient_scope\"", challenge.Parameter, StringComparison.Ordinal);
            Assert.Contains("scope=\"api:write\"", challenge.Parameter, StringComparison.Ordinal);
            AssertLogged(rejections, "insufficient_scope", environment.Reader);
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_token_with_the_required_scope_creates_an_order(string mode)
    {
        var api = environment.Api(mode);
        var token = await environment.TokenAsync(environment.Payments, "payments");

        using var response = await BoundTokenEnvironment.CallAsync(api, environment.Payments, token, HttpMethod.Post, "api/orders");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("payments", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("client_id").GetString());
    }
}
