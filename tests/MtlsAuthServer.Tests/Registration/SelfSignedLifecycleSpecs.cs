using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Registration;

/// <summary>
/// A client registered over real mTLS (RFC 7591) gets tokens with its certificate, rotates it through RFC 7592 (both
/// certificates work during the overlap, the old one stops once removed), and once deleted can neither get tokens nor
/// keep the ones it had: they introspect as inactive. SQLite, one instance.
/// </summary>
public sealed class SelfSignedLifecycleSpecs : IDisposable
{
    private readonly TestPki _pki = TestPki.Create();

    [Fact]
    public async Task Register_get_a_token_rotate_the_certificate_and_delete()
    {
        using var host = TokenServerHost.Start(_pki, s => DynamicRegistration.Enable(s));
        using var first = _pki.CreateSelfSigned("CN=partner-1", "partner-1.crt").Certificate;
        using var next = _pki.CreateSelfSigned("CN=partner-2", "partner-2.crt").Certificate;
        using var resource = _pki.IssueClient(DynamicRegistration.ResourceDn);
        using var withFirst = host.CreateMtlsClient(first);
        using var withNext = host.CreateMtlsClient(next);
        using var resourceApi = host.CreateMtlsClient(resource);

        var registered = await withFirst.RegisteredAsync(DynamicRegistration.SelfSigned(first));
        Assert.StartsWith(host.MtlsUri.AbsoluteUri + "register/", registered.ClientUri.AbsoluteUri, StringComparison.Ordinal);
        Assert.True(registered.Response.GetProperty("tls_client_certificate_bound_access_tokens").GetBoolean());
        var token = await withFirst.GetAccessTokenAsync(registered.ClientId, "api:read");
        Assert.Equal(OAuth.Thumbprint(first), OAuth.DecodePayload(token).GetProperty("cnf").GetProperty("x5t#S256").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await withNext.RequestTokenAsync(registered.ClientId, "api:read")).StatusCode);

        // Rotation, step 1: the next certificate is added; both authenticate.
        using (var added = await withFirst.ManageAsync(HttpMethod.Put, registered, DynamicRegistration.SelfSigned(first, next)))
        {
            Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await withFirst.RequestTokenAsync(registered.ClientId, "api:read")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await withNext.RequestTokenAsync(registered.ClientId, "api:read")).StatusCode);

        // Step 2, with the new certificate: the old one is removed and stops working at once.
        using (var removed = await withNext.ManageAsync(HttpMethod.Put, registered, DynamicRegistration.SelfSigned(next)))
        {
            Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        }

        await OAuth.AssertRejectedAsync(await withFirst.RequestTokenAsync(registered.ClientId, "api:read"), host.Logs, "self_signed_not_registered", first);
        var current = await withNext.GetAccessTokenAsync(registered.ClientId, "api:read");
        Assert.True(await resourceApi.IsActiveAsync("sample-resource-api", current));

        // The old certificate can no longer manage the registration either.
        using (var read = await withFirst.ManageAsync(HttpMethod.Get, registered))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, read.StatusCode);
            Assert.Equal("invalid_token", await read.ErrorAsync());
        }

        using (var read = await withNext.ManageAsync(HttpMethod.Get, registered))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            var keys = (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jwks").GetProperty("keys");
            Assert.Equal(Convert.ToBase64String(next.RawData), Assert.Single(keys.EnumerateArray()).GetProperty("x5c")[0].GetString());
        }

        using (var deleted = await withNext.ManageAsync(HttpMethod.Delete, registered))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using (var refused = await withNext.RequestTokenAsync(registered.ClientId, "api:read"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("invalid_client", await refused.ErrorAsync());
            Assert.Contains(host.Logs.Rejections, e => e["Reason"] == "client_disabled" && e["Thumbprint"] == OAuth.Thumbprint(next));
        }

        Assert.False(await resourceApi.IsActiveAsync("sample-resource-api", current));
        Assert.False(await resourceApi.IsActiveAsync("sample-resource-api", token));
        Assert.Equal(HttpStatusCode.Unauthorized, (await withNext.ManageAsync(HttpMethod.Get, registered)).StatusCode);

        Assert.Single(host.Logs.WithEventId(4900), e => e["ClientId"] == registered.ClientId && e.Category == "MtlsAuthServer.Audit");
        Assert.Equal(2, host.Logs.WithEventId(4901).Count(e => e["ClientId"] == registered.ClientId));
        Assert.Single(host.Logs.WithEventId(4902), e => e["ClientId"] == registered.ClientId && e["RevokedTokens"] != "0");
    }

    [Fact]
    public async Task A_tls_client_auth_registration_authenticates_by_its_identity_and_discovery_names_the_endpoint()
    {
        using var host = TokenServerHost.Start(_pki, s => DynamicRegistration.Enable(s));
        using var billing = _pki.IssueClient("CN=billing", p => p with { DnsNames = ["billing.example.com"] });
        using var withBilling = host.CreateMtlsClient(billing);

        var registered = await withBilling.RegisteredAsync(new System.Text.Json.Nodes.JsonObject
        {
            ["token_endpoint_auth_method"] = "tls_client_auth",
            ["tls_client_auth_san_dns"] = "billing.example.com",
            ["scope"] = "api:read",
            ["grant_types"] = new System.Text.Json.Nodes.JsonArray("client_credentials"),
        });

        Assert.Equal(HttpStatusCode.OK, (await withBilling.RequestTokenAsync(registered.ClientId, "api:read")).StatusCode);
        var document = await withBilling.GetFromJsonAsync<JsonElement>(".well-known/openid-configuration");
        Assert.Equal(host.MtlsUri.AbsoluteUri + "register", document.GetProperty("registration_endpoint").GetString());
    }

    public void Dispose() => _pki.Dispose();
}
