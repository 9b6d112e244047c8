using System.Net;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Tests.Infrastructure;
using MtlsAuthServer.Tests.Proxy;
using MtlsAuthServer.Tests.TokenEndpoint;

namespace MtlsAuthServer.Tests.Certificates;

/// <summary>
/// RFC 5280 §4.1: certificates are DER. A certificate from a trusted CA whose subject or issuer name is only valid
/// BER (an unsorted multi-valued RDN, a long-form length) is refused as certificate_malformed (401 invalid_client),
/// whichever identity the client is registered with, over TLS and when a trusted proxy forwards it; never a 500.
/// </summary>
public sealed class NonDerCertificateSpecs(StandardTokenServer server) : IClassFixture<StandardTokenServer>
{
    public static TheoryData<string, string> Cases => new()
    {
        { "unsorted multi-valued RDN", "payments" },
        { "unsorted multi-valued RDN", "billing" },
        { "long-form length", "payments" },
        { "long-form length", "billing" },
        { "long-form issuer length", "payments" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_certificate_with_a_non_der_name_is_refused_as_malformed_over_tls(string encoding, string clientId)
    {
        using var certificate = Mint(server.Pki, encoding);
        using var client = server.Host.CreateMtlsClient(certificate);

        using var response = await client.RequestTokenAsync(clientId);

        await OAuth.AssertRejectedAsync(response, server.Host.Logs, "certificate_malformed", certificate);
    }

    [Theory]
    [InlineData("unsorted multi-valued RDN")]
    [InlineData("long-form length")]
    public async Task A_forwarded_certificate_with_a_non_der_name_is_refused_as_malformed(string encoding)
    {
        using var proxied = ProxiedTokenServer.Start();
        using var certificate = Mint(proxied.Pki, encoding);
        using var client = proxied.From(ProxiedTokenServer.TrustedProxy);
        using var request = ProxiedTokenServer.TokenRequest("payments", ("X-SSL-Client-Cert", ForwardedHeaderValues.NginxEscaped(certificate)));

        using var response = await client.SendAsync(request);

        await OAuth.AssertRejectedAsync(response, proxied.Host.Logs, "certificate_malformed", certificate);
    }

    [Fact]
    public async Task The_same_name_in_der_is_accepted()
    {
        using var certificate = NonDerCertificates.Issue(server.Pki, new X500DistinguishedName("CN=payments, OU=Treasury, O=Test Org"));
        using var client = server.Host.CreateMtlsClient(certificate);

        using var response = await client.RequestTokenAsync("payments");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static X509Certificate2 Mint(TestPki pki, string encoding) => encoding switch
    {
        "unsorted multi-valued RDN" => NonDerCertificates.Issue(pki, NonDerCertificates.UnsortedMultiValuedRdn("payments", "Treasury"), sanDns: "billing.example.com"),
        "long-form length" => NonDerCertificates.Issue(pki, NonDerCertificates.LongFormLength("CN=payments, OU=Treasury, O=Test Org"), sanDns: "billing.example.com"),
        _ => NonDerCertificates.Issue(pki, new X500DistinguishedName("CN=payments, OU=Treasury, O=Test Org"),
            issuer: NonDerCertificates.LongFormLength(pki.Issuing.Certificate.Subject)),
    };
}
