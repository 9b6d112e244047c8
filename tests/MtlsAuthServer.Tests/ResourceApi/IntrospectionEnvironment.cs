using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.ResourceApi;

/// <summary>A token server and two introspecting APIs: one without a result cache, one caching results for 30 s.</summary>
public sealed class IntrospectionEnvironment : IDisposable
{
    public IntrospectionEnvironment()
    {
        Pki = TestPki.Create();
        TokenServer = TokenServerHost.Start(Pki, settings => settings
            .AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org", "api:read api:write")
            .AddTlsClient("sample-resource-api", "tls_client_auth_subject_dn", "CN=sample-resource-api,O=Test Org", scope: null));
        UncachedApi = ResourceApiHost.Start(Pki, TokenServer, BoundTokenEnvironment.Introspection,
            configure: settings => settings["TokenValidation:Introspection:CacheDuration"] = "00:00:00");
        CachedApi = ResourceApiHost.Start(Pki, TokenServer, BoundTokenEnvironment.Introspection,
            configure: settings => settings["TokenValidation:Introspection:CacheDuration"] = "00:00:30");
        Payments = Pki.IssueClient("CN=payments, O=Test Org");
    }

    public TestPki Pki { get; }

    public TokenServerHost TokenServer { get; }

    public ResourceApiHost UncachedApi { get; }

    public ResourceApiHost CachedApi { get; }

    public X509Certificate2 Payments { get; }

    public void Dispose()
    {
        UncachedApi.Dispose();
        CachedApi.Dispose();
        TokenServer.Dispose();
        Payments.Dispose();
        Pki.Dispose();
    }
}
