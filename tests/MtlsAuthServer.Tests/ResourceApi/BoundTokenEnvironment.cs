using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Pki;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.ResourceApi;

/// <summary>
/// One real token server and the real resource API in both validation modes, shared by a spec class. The token
/// server also trusts a second ("partner") CA that the API does not trust, and signs with a key the test holds.
/// </summary>
public sealed class BoundTokenEnvironment : IDisposable
{
    public const string Local = "Local";
    public const string Introspection = "Introspection";

    private readonly Lazy<TokenServerHost> _foreignTokenServer;
    private readonly Lazy<ResourceApiHost> _localApi;
    private readonly Lazy<ResourceApiHost> _introspectionApi;
    private readonly string _folder = Directory.CreateTempSubdirectory("mtls-env-").FullName;

    public BoundTokenEnvironment()
    {
        Pki = TestPki.Create();
        PartnerPki = TestPki.Create(organization: "Partner Org");
        Minter = new TokenMinter();

        // The token server trusts both CAs; the API trusts only the first.
        var anchors = Path.Combine(_folder, "anchors.pem");
        var intermediates = Path.Combine(_folder, "intermediates.pem");
        PemFiles.WriteCertificates(anchors, Pki.Root.Certificate, PartnerPki.Root.Certificate);
        PemFiles.WriteCertificates(intermediates, Pki.Issuing.Certificate, PartnerPki.Issuing.Certificate);

        TokenServer = TokenServerHost.Start(Pki, settings =>
        {
            Configure(settings, Minter.KeyPath).AddTlsClient("partner", "tls_client_auth_subject_dn", "CN=partner,O=Partner Org", "api:read api:write");
            settings["TrustAnchors:Path"] = anchors;
            settings["TrustAnchors:IntermediatesPath"] = intermediates;
        });
        _localApi = new(() => ResourceApiHost.Start(Pki, TokenServer, Local));
        _introspectionApi = new(() => ResourceApiHost.Start(Pki, TokenServer, Introspection));
        _foreignTokenServer = new(() => TokenServerHost.Start(Pki, settings => Configure(settings, keyPath: null)));

        Payments = Pki.IssueClient("CN=payments, O=Test Org");
        PaymentsOtherKey = Pki.IssueClient("CN=payments, O=Test Org");
        Reader = Pki.IssueClient("CN=reader, O=Test Org");
        Elsewhere = Pki.IssueClient("CN=elsewhere, O=Test Org");
        Partner = PartnerPki.IssueClient("CN=partner, O=Partner Org");
    }

    public TestPki Pki { get; }

    public TestPki PartnerPki { get; }

    public TokenMinter Minter { get; }

    public TokenServerHost TokenServer { get; }

    /// <summary>A second token server with the same PKI and clients but its own issuer URL and signing key.</summary>
    public TokenServerHost ForeignTokenServer => _foreignTokenServer.Value;

    public ResourceApiHost LocalApi => _localApi.Value;

    public ResourceApiHost IntrospectionApi => _introspectionApi.Value;

    /// <summary>Client <c>payments</c> (api:read api:write).</summary>
    public X509Certificate2 Payments { get; }

    /// <summary>Another valid certificate for <c>payments</c>: same subject, same CA, other key.</summary>
    public X509Certificate2 PaymentsOtherKey { get; }

    /// <summary>Client <c>reader</c> (api:read only).</summary>
    public X509Certificate2 Reader { get; }

    /// <summary>Client <c>elsewhere</c>: its only scope names another audience.</summary>
    public X509Certificate2 Elsewhere { get; }

    /// <summary>Client <c>partner</c>, from a CA the token server trusts and the API does not.</summary>
    public X509Certificate2 Partner { get; }

    public ResourceApiHost Api(string mode) => mode == Local ? LocalApi : IntrospectionApi;

    public async Task<string> TokenAsync(X509Certificate2 certificate, string clientId, string? scope = null, TokenServerHost? server = null, params X509Certificate2[] intermediates)
    {
        using var client = (server ?? TokenServer).CreateMtlsClient(certificate, intermediates);
        return await client.GetAccessTokenAsync(clientId, scope);
    }

    public static async Task<HttpResponseMessage> CallAsync(ResourceApiHost api, X509Certificate2? certificate, string? token, HttpMethod? method = null, string path = "api/whoami")
    {
        using var client = api.CreateMtlsClient(certificate);
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (request.Method == HttpMethod.Post)
        {
            request.Content = JsonContent.Create(new { item = "widget" });
        }

        return await client.SendAsync(request);
    }

    public void Dispose()
    {
        foreach (var host in new[] { _localApi, _introspectionApi })
        {
            if (host.IsValueCreated)
            {
                host.Value.Dispose();
            }
        }

        if (_foreignTokenServer.IsValueCreated)
        {
            _foreignTokenServer.Value.Dispose();
        }

        TokenServer.Dispose();
        foreach (var certificate in new[] { Payments, PaymentsOtherKey, Reader, Elsewhere, Partner })
        {
            certificate.Dispose();
        }

        Minter.Dispose();
        PartnerPki.Dispose();
        Pki.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static TokenServerSettings Configure(TokenServerSettings settings, string? keyPath)
    {
        settings.AddScope("other:read", "other-api")
            .AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org", "api:read api:write")
            .AddTlsClient("reader", "tls_client_auth_subject_dn", "CN=reader,O=Test Org", "api:read")
            .AddTlsClient("elsewhere", "tls_client_auth_subject_dn", "CN=elsewhere,O=Test Org", "other:read")
            .AddTlsClient("sample-resource-api", "tls_client_auth_subject_dn", "CN=sample-resource-api,O=Test Org", scope: null);
        if (keyPath is not null)
        {
            settings["Tokens:SigningKey:Path"] = keyPath;
        }

        return settings;
    }
}
