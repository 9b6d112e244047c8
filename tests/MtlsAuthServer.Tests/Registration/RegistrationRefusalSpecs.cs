using System.Net;
using System.Text.Json.Nodes;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Registration;

/// <summary>
/// Who may not register, and what may not be registered: each refusal is the right 4xx with the RFC 7591 / RFC 6750
/// error (never a 500), and a logged reason (event 4903).
/// </summary>
public sealed class RegistrationRefusalSpecs(RegistrationServer server) : IClassFixture<RegistrationServer>
{
    private TokenServerHost Host => server.Host;

    public static TheoryData<string?, string> Unauthorised => new()
    {
        { null, "no_registration_credential" },
        { "not-the-initial-access-token", "initial_access_token_invalid" },
    };

    [Theory]
    [MemberData(nameof(Unauthorised))]
    public async Task A_caller_without_an_accepted_initial_access_token_or_registration_ca_certificate_is_refused(string? bearer, string reason)
    {
        using var caller = server.Pki.IssueClient("CN=somebody,O=Test Org"); // a client trust anchor's certificate, not the registration CA's
        using var client = Host.CreateMtlsClient(caller);

        using var response = await client.RegisterAsync(Valid(), bearer);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_token", await response.ErrorAsync());
        Assert.Contains(Host.Logs.WithEventId(4903), e => e["Reason"] == (reason == "no_registration_credential" ? "registration_certificate_untrusted" : reason)
            && e["Thumbprint"] == OAuth.Thumbprint(caller));
    }

    [Fact]
    public async Task A_caller_with_a_registration_ca_certificate_may_register_without_a_token()
    {
        using var registrar = server.Registrar.IssueClient("CN=onboarding robot,O=Registrar Org");
        using var client = Host.CreateMtlsClient(registrar);

        using var response = await client.RegisterAsync(Valid(), bearer: null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Without_any_certificate_or_token_the_caller_is_refused()
    {
        using var client = Host.CreateMtlsClient(null);

        using var response = await client.RegisterAsync(Valid(), bearer: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(Host.Logs.WithEventId(4903), e => e["Reason"] == "no_registration_credential");
    }

    public static TheoryData<string, string> InvalidMetadata => new()
    {
        { "{", "malformed JSON" },
        { "[]", "not an object" },
        { """{"token_endpoint_auth_method":"tls_client_auth","tls_client_auth_san_dns":"a.example.com","tls_client_auth_san_dns":"b.example.com"}""", "a member twice" },
        { """{"token_endpoint_auth_method":42,"tls_client_auth_san_dns":"a.example.com"}""", "a number for a string" },
        { """{"token_endpoint_auth_method":"client_secret_basic"}""", "a shared-secret method" },
        { """{"token_endpoint_auth_method":"private_key_jwt"}""", "an unknown method" },
        { """{"tls_client_auth_san_dns":"a.example.com"}""", "no method" },
        { """{"token_endpoint_auth_method":"tls_client_auth","tls_client_auth_san_dns":"a.example.com","tls_client_auth_subject_dn":"CN=a"}""", "two identities" },
        { """{"token_endpoint_auth_method":"tls_client_auth"}""", "no identity" },
        { """{"token_endpoint_auth_method":"tls_client_auth","tls_client_auth_subject_dn":"CN=a,,=b"}""", "a malformed DN" },
        { """{"token_endpoint_auth_method":"tls_client_auth","tls_client_auth_san_ip":"not-an-ip"}""", "a malformed IP" },
        { """{"token_endpoint_auth_method":"self_signed_tls_client_auth","jwks":{"keys":[{"kty":"EC"}]}}""", "jwks without x5c" },
        { """{"token_endpoint_auth_method":"self_signed_tls_client_auth","jwks":{"keys":[{"x5c":["%%%"]}]}}""", "x5c not base64" },
        { """{"token_endpoint_auth_method":"self_signed_tls_client_auth","jwks":{"keys":[]}}""", "no certificate" },
        { """{"token_endpoint_auth_method":"self_signed_tls_client_auth","jwks":"keys"}""", "jwks not an object" },
        { """{"token_endpoint_auth_method":"tls_client_auth","tls_client_auth_san_dns":"a.example.com","scope":"api:write"}""", "a scope the policy does not allow" },
        { """{"token_endpoint_auth_method":"tls_client_auth","tls_client_auth_san_dns":"a.example.com","grant_types":["authorization_code"]}""", "another grant" },
        { """{"token_endpoint_auth_method":"tls_client_auth","tls_client_auth_san_dns":"a.example.com","jwks_uri":"https://x.example/jwks"}""", "jwks_uri" },
        { """{"token_endpoint_auth_method":"tls_client_auth","tls_client_auth_san_dns":"a.example.com","tls_client_certificate_bound_access_tokens":false}""", "unbound tokens" },
        { """{"token_endpoint_auth_method":"tls_client_auth","tls_client_auth_san_dns":"a.example.com","contacts":"me@example.com"}""", "contacts not an array" },
    };

    [Theory]
    [MemberData(nameof(InvalidMetadata))]
    public async Task Invalid_metadata_gets_invalid_client_metadata(string body, string what)
    {
        using var client = Host.CreateMtlsClient(null);

        using var response = await client.RegisterRawAsync(body);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {(int)response.StatusCode}");
        Assert.Equal("invalid_client_metadata", await response.ErrorAsync());
    }

    [Fact]
    public async Task A_ca_certificate_registered_as_a_self_signed_client_certificate_is_refused()
    {
        using var client = Host.CreateMtlsClient(null);

        using var response = await client.RegisterAsync(DynamicRegistration.SelfSigned(server.Pki.Root.Certificate));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_client_metadata", await response.ErrorAsync());
    }

    [Fact]
    public async Task An_oversized_body_gets_413_and_a_form_body_400_invalid_request()
    {
        using var client = Host.CreateMtlsClient(null);

        using var large = await client.RegisterRawAsync("{\"client_name\":\"" + new string('x', 40_000) + "\"}");
        using var form = await client.RegisterRawAsync("token_endpoint_auth_method=tls_client_auth", mediaType: "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        Assert.Equal("invalid_request", await large.ErrorAsync());
        Assert.Equal(HttpStatusCode.BadRequest, form.StatusCode);
        Assert.Equal("invalid_request", await form.ErrorAsync());
    }

    [Fact]
    public async Task A_configured_client_cannot_be_read_or_changed_through_the_endpoint()
    {
        using var configured = server.Pki.IssueClient("CN=configured,O=Test Org");
        using var client = Host.CreateMtlsClient(configured);
        var target = new DynamicRegistration.Registered("configured", "any-token", new Uri(Host.MtlsUri, "register/configured"), default);

        using var read = await client.ManageAsync(HttpMethod.Get, target);
        using var delete = await client.ManageAsync(HttpMethod.Delete, target);

        Assert.Equal(HttpStatusCode.Unauthorized, read.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, delete.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.RequestTokenAsync("configured", "api:read")).StatusCode);
    }

    [Fact]
    public async Task Managing_a_registration_needs_the_clients_certificate_as_well_as_its_token()
    {
        using var partner = server.Pki.CreateSelfSigned("CN=managed partner", "managed.crt").Certificate;
        using var other = server.Pki.CreateSelfSigned("CN=someone else", "someone.crt").Certificate;
        using var withPartner = Host.CreateMtlsClient(partner);
        using var withOther = Host.CreateMtlsClient(other);
        var registered = await withPartner.RegisteredAsync(DynamicRegistration.SelfSigned(partner));

        using var stolenToken = await withOther.ManageAsync(HttpMethod.Delete, registered);
        using var wrongToken = await withPartner.ManageAsync(HttpMethod.Delete, registered, token: "wrong");

        Assert.Equal(HttpStatusCode.Unauthorized, stolenToken.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongToken.StatusCode);
        Assert.Contains(Host.Logs.WithEventId(4903), e => e["Reason"] == "registration_certificate_mismatch" && e["ClientId"] == registered.ClientId);
        Assert.Contains(Host.Logs.WithEventId(4903), e => e["Reason"] == "registration_token_invalid" && e["ClientId"] == registered.ClientId);
        Assert.Equal(HttpStatusCode.OK, (await withPartner.RequestTokenAsync(registered.ClientId, "api:read")).StatusCode);
    }

    [Fact]
    public async Task The_registration_endpoint_is_not_served_on_the_public_or_management_listener()
    {
        using var onPublic = MtlsHttpClient.Create(server.Pki, null);
        onPublic.BaseAddress = Host.PublicUri;
        using var onManagement = new HttpClient { BaseAddress = Host.ManagementUri };

        using var publicAnswer = await onPublic.RegisterAsync(Valid());
        using var managementAnswer = await onManagement.RegisterAsync(Valid());

        Assert.Equal(HttpStatusCode.NotFound, publicAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, managementAnswer.StatusCode);
    }

    private static JsonObject Valid() => new()
    {
        ["token_endpoint_auth_method"] = "tls_client_auth",
        ["tls_client_auth_subject_dn"] = "CN=new partner,O=Test Org",
        ["scope"] = "api:read",
    };
}
