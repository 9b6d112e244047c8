using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using MtlsAuthServer.CertificateForwarding;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Proxy;

/// <summary>
/// A token server in Forwarded mode trusting only 127.0.0.2, spoken to directly: as the trusted proxy (connections
/// from 127.0.0.2) or as an untrusted sender (127.0.0.1), so each rule of the gate can be exercised header by header.
/// </summary>
public sealed class ProxiedTokenServer : IDisposable
{
    public static readonly IPAddress TrustedProxy = IPAddress.Parse("127.0.0.2");
    public static readonly IPAddress Untrusted = IPAddress.Loopback;

    private ProxiedTokenServer(TestPki pki, TokenServerHost host, X509Certificate2 payments, X509Certificate2 billing)
    {
        Pki = pki;
        Host = host;
        Payments = payments;
        Billing = billing;
    }

    public TestPki Pki { get; }

    public TokenServerHost Host { get; }

    /// <summary>The victim in forged-header specs: its public certificate is all an attacker needs to put in a header.</summary>
    public X509Certificate2 Payments { get; }

    /// <summary>A legitimate client of its own, who may try to pass as <see cref="Payments"/>.</summary>
    public X509Certificate2 Billing { get; }

    public static ProxiedTokenServer Start(Action<TokenServerSettings>? configure = null, bool withIntermediates = true)
    {
        var pki = TestPki.Create();
        var payments = pki.IssueClient("CN=payments,O=Test Org");
        var billing = pki.IssueClient("CN=billing,O=Test Org");
        var host = TokenServerHost.Start(pki, settings =>
        {
            settings.AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org")
                .AddTlsClient("billing", "tls_client_auth_subject_dn", "CN=billing,O=Test Org");
            settings["Proxy:Mode"] = "Forwarded";
            settings["Proxy:TrustedProxies:0"] = TrustedProxy.ToString();
            settings["Tokens:Issuer"] = "https://auth.example.com/";
            settings["Listeners:MtlsPublicBaseUrl"] = "https://mtls.auth.example.com/";
            if (!withIntermediates)
            {
                settings["TrustAnchors:IntermediatesPath"] = string.Empty;
            }

            configure?.Invoke(settings);
        });
        return new ProxiedTokenServer(pki, host, payments, billing);
    }

    /// <summary>A client whose connections come from <paramref name="source"/>, presenting <paramref name="certificate"/> in TLS.</summary>
    public HttpClient From(IPAddress source, X509Certificate2? certificate = null) =>
        SourceAddressHttpClient.Create(Pki, source, Host.MtlsUri, certificate);

    public MetricCollector<long> CollectForwardingDecisions() =>
        new(Host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), CertificateForwardingTelemetry.MeterName, CertificateForwardingTelemetry.DecisionsCounterName);

    public static HttpRequestMessage TokenRequest(string clientId, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "token")
        {
            Content = OAuth.Form(("grant_type", "client_credentials"), ("client_id", clientId)),
        };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    public void Dispose()
    {
        Host.Dispose();
        Payments.Dispose();
        Billing.Dispose();
        Pki.Dispose();
    }
}
