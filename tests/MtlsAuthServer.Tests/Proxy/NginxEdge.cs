using System.Net;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Proxy;

/// <summary>
/// Edge termination as deployed: a real nginx terminates the clients' mTLS and forwards the certificate in
/// <c>X-SSL-Client-Cert</c> to the token server (re-encrypted to its mTLS listener), connecting from 127.0.0.2 — the
/// only trusted proxy address. Revocation is online, against CRLs served on loopback; one certificate is revoked.
/// </summary>
public sealed class NginxEdge : IAsyncLifetime
{
    public static readonly IPAddress ProxyAddress = IPAddress.Parse("127.0.0.2");

    public StaticHttpServer CrlServer { get; private set; } = null!;

    public TestPki Pki { get; private set; } = null!;

    public TestPki Impostor { get; private set; } = null!;

    public TokenServerHost Host { get; private set; } = null!;

    public NginxProxy Nginx { get; private set; } = null!;

    /// <summary>nginx's mTLS entry point: token, introspection, revocation.</summary>
    public NginxRoute MtlsEdge { get; private set; } = null!;

    /// <summary>nginx's public entry point (no client certificate): discovery and JWKS.</summary>
    public NginxRoute PublicEdge { get; private set; } = null!;

    public X509Certificate2 Payments { get; private set; } = null!;

    public X509Certificate2 Billing { get; private set; } = null!;

    public X509Certificate2 Revoked { get; private set; } = null!;

    public X509Certificate2 Expired { get; private set; } = null!;

    /// <summary>The resource API's own client certificate, for introspection through nginx.</summary>
    public X509Certificate2 ResourceApi { get; private set; } = null!;

    /// <summary>Same subject as <see cref="Payments"/>, issued by a CA with the same names that is not trusted.</summary>
    public X509Certificate2 ImpostorPayments { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        CrlServer = await StaticHttpServer.StartAsync();
        Pki = TestPki.Create(crlBase: CrlServer.BaseUri);
        Impostor = TestPki.Create();
        Payments = Pki.IssueClient("CN=payments,O=Test Org");
        Billing = Pki.IssueClient("CN=billing,O=Test Org");
        Revoked = Pki.IssueClient("CN=revoked,O=Test Org");
        Expired = Pki.IssueClient("CN=expired,O=Test Org", p => p with { NotBefore = TestPki.Now.AddDays(-30), NotAfter = TestPki.Now.AddDays(-1) });
        ImpostorPayments = Impostor.IssueClient("CN=payments,O=Test Org");
        ResourceApi = Pki.IssueClient("CN=sample-resource-api,O=Test Org");
        CrlServer.Serve("root.crl", Pki.RootCrl());
        CrlServer.Serve("issuing.crl", Pki.IssuingCrl(Revoked));

        Nginx = new NginxProxy(Pki);
        MtlsEdge = Nginx.Route("mtls");
        PublicEdge = Nginx.Route("public");
        Host = TokenServerHost.Start(Pki, settings =>
        {
            settings.AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org")
                .AddTlsClient("billing", "tls_client_auth_subject_dn", "CN=billing,O=Test Org")
                .AddTlsClient("revoked", "tls_client_auth_subject_dn", "CN=revoked,O=Test Org")
                .AddTlsClient("expired", "tls_client_auth_subject_dn", "CN=expired,O=Test Org")
                .AddTlsClient("sample-resource-api", "tls_client_auth_subject_dn", "CN=sample-resource-api,O=Test Org", scope: null);
            settings["Revocation:Mode"] = "Online";
            ConfigureBehindProxy(settings, MtlsEdge, PublicEdge, ProxyAddress);
        });

        MtlsEdge.Upstream = Host.MtlsUri;
        MtlsEdge.BindAddress = ProxyAddress;
        PublicEdge.Upstream = Host.PublicUri;
        PublicEdge.BindAddress = ProxyAddress;
        PublicEdge.RequestClientCertificate = false;
        Nginx.Start();
    }

    /// <summary>The keys an operator sets to run the token server behind nginx (see deploy/nginx/mtls-edge.conf).</summary>
    public static void ConfigureBehindProxy(TokenServerSettings settings, NginxRoute mtlsEdge, NginxRoute publicEdge, IPAddress proxyAddress)
    {
        settings["Proxy:Mode"] = "Forwarded";
        settings["Proxy:HeaderFormat"] = "NginxEscapedPem";
        settings["Proxy:TrustedProxies:0"] = proxyAddress.ToString();
        settings["Tokens:Issuer"] = publicEdge.PublicUri.AbsoluteUri;
        settings["Listeners:MtlsPublicBaseUrl"] = mtlsEdge.PublicUri.AbsoluteUri;
    }

    /// <summary>A client of nginx's mTLS entry point presenting <paramref name="certificate"/>.</summary>
    public HttpClient ThroughNginx(X509Certificate2? certificate)
    {
        var client = MtlsHttpClient.Create(Pki, certificate);
        client.BaseAddress = MtlsEdge.PublicUri;
        return client;
    }

    public async Task DisposeAsync()
    {
        Nginx.Dispose();
        Host.Dispose();
        await CrlServer.DisposeAsync();
        foreach (var certificate in new[] { Payments, Billing, Revoked, Expired, ImpostorPayments, ResourceApi })
        {
            certificate.Dispose();
        }

        Impostor.Dispose();
        Pki.Dispose();
    }
}
