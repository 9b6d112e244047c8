using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Fapi2;

/// <summary>
/// What the conformance suite's plan <c>fapi2-security-profile-final-test-plan</c> (client_auth_type=mtls,
/// sender_constrain=mtls, fapi_profile=fapi_client_credentials_grant) is configured with: a token server in
/// <c>Profile: Fapi2</c>, two clients with distinct certificates (<c>tls_client_auth_subject_dn</c>), and a resource
/// endpoint (the sample API, local JWT validation) that accepts their tokens.
/// </summary>
public sealed class Fapi2Deployment : IDisposable
{
    public const string Client1 = "fapi-client-1";
    public const string Client2 = "fapi-client-2";
    public const string Scope = "api:read";

    private readonly Lazy<ResourceApiHost> _resource;

    public Fapi2Deployment()
    {
        Pki = TestPki.Create();
        Server = TokenServerHost.Start(Pki, settings =>
        {
            settings["Profile"] = "Fapi2";
            settings.AddTlsClient(Client1, "tls_client_auth_subject_dn", "CN=fapi-client-1,O=Test Org", Scope)
                .AddTlsClient(Client2, "tls_client_auth_subject_dn", "CN=fapi-client-2,O=Test Org", Scope);
        });
        Certificate1 = Pki.IssueClient("CN=fapi-client-1, O=Test Org");
        Certificate2 = Pki.IssueClient("CN=fapi-client-2, O=Test Org");
        _resource = new(() => ResourceApiHost.Start(Pki, Server, "Local", configure: settings => settings["Listener:Fapi2TlsSuites"] = "true"));
    }

    public TestPki Pki { get; }

    public TokenServerHost Server { get; }

    public ResourceApiHost Resource => _resource.Value;

    public X509Certificate2 Certificate1 { get; }

    public X509Certificate2 Certificate2 { get; }

    /// <summary>The token endpoint as the suite finds it: the <c>mtls_endpoint_aliases</c> entry of discovery.</summary>
    public Uri TokenEndpoint => new(Server.MtlsUri, "token");

    public Uri ResourceEndpoint => new(Resource.Uri, "api/whoami");

    public async Task<string> AccessTokenAsync(X509Certificate2 certificate, string clientId)
    {
        using var client = Server.CreateMtlsClient(certificate);
        return await client.GetAccessTokenAsync(clientId, Scope);
    }

    /// <summary>GET on the resource endpoint presenting <paramref name="certificate"/> and the token with the given scheme spelling.</summary>
    public async Task<HttpResponseMessage> CallResourceAsync(X509Certificate2 certificate, string accessToken, string scheme = "Bearer", string? accept = null)
    {
        using var client = Resource.CreateMtlsClient(certificate);
        using var request = new HttpRequestMessage(HttpMethod.Get, ResourceEndpoint);
        request.Headers.TryAddWithoutValidation("Authorization", $"{scheme} {accessToken}");
        if (accept is not null)
        {
            request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
        }

        return await client.SendAsync(request);
    }

    public void Dispose()
    {
        if (_resource.IsValueCreated)
        {
            _resource.Value.Dispose();
        }

        Server.Dispose();
        Certificate1.Dispose();
        Certificate2.Dispose();
        Pki.Dispose();
    }
}
