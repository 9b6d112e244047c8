using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using MtlsAuthServer.CertificateForwarding;

namespace MtlsAuthServer.Tests.Proxy;

/// <summary>The <c>Proxy</c> section refuses set-ups that would trust forged headers or could not work; the message names the key.</summary>
public sealed class ProxyOptionsSpecs
{
    private static readonly string Pin = Base64Url.EncodeToString(SHA256.HashData("proxy certificate"u8));

    [Fact]
    public void Passthrough_needs_nothing_else()
    {
        Assert.True(new ProxyOptionsValidator().Validate(null, new ProxyOptions()).Succeeded);
    }

    [Fact]
    public void Forwarded_mode_without_trusted_proxies_is_refused()
    {
        var result = Validate(new ProxyOptions { Mode = ProxyMode.Forwarded });

        Assert.Contains(result, error => error.StartsWith("Proxy:TrustedProxies:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("proxy.internal", "Proxy:TrustedProxies:1")]
    [InlineData("10.0.0.1/8", "Proxy:TrustedProxies:1")]
    [InlineData("10.0.0.0/33", "Proxy:TrustedProxies:1")]
    [InlineData("", "Proxy:TrustedProxies:1")]
    public void A_trusted_proxy_entry_that_is_not_an_address_or_canonical_range_is_named(string entry, string key)
    {
        var result = Validate(new ProxyOptions { Mode = ProxyMode.Forwarded, TrustedProxies = ["127.0.0.2", entry] });

        Assert.Contains(result, error => error.StartsWith(key + ":", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("0.0.0.0/0")]
    [InlineData("::/0")]
    public void Trusting_every_sender_is_refused_unless_the_proxy_certificate_is_pinned(string everyone)
    {
        Assert.Contains(Validate(new ProxyOptions { Mode = ProxyMode.Forwarded, TrustedProxies = [everyone] }),
            error => error.StartsWith("Proxy:TrustedProxies:0:", StringComparison.Ordinal));
        Assert.Empty(Validate(new ProxyOptions { Mode = ProxyMode.Forwarded, TrustedProxies = [everyone], RequiredProxyCertificateThumbprints = [Pin] }));
    }

    [Theory]
    [InlineData("9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08")]
    [InlineData("2fd4e1c67a2d28fced849ee1bb76e7391b93eb12")]
    [InlineData("n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg=")]
    public void A_proxy_pin_that_is_not_x5t_s256_is_refused(string thumbprint)
    {
        var result = Validate(new ProxyOptions { Mode = ProxyMode.Forwarded, TrustedProxies = ["10.0.0.0/24"], RequiredProxyCertificateThumbprints = [thumbprint] });

        Assert.Contains(result, error => error.StartsWith("Proxy:RequiredProxyCertificateThumbprints:0:", StringComparison.Ordinal));
    }

    [Fact]
    public void Header_names_must_be_tokens_and_the_chain_header_belongs_to_rfc_9440()
    {
        Assert.Contains(Validate(new ProxyOptions { Mode = ProxyMode.Forwarded, TrustedProxies = ["::1"], HeaderName = "X SSL Cert" }),
            error => error.StartsWith("Proxy:HeaderName:", StringComparison.Ordinal));
        Assert.Contains(Validate(new ProxyOptions { Mode = ProxyMode.Forwarded, TrustedProxies = ["::1"], ChainHeaderName = "X-Chain" }),
            error => error.StartsWith("Proxy:ChainHeaderName:", StringComparison.Ordinal));
        Assert.Empty(Validate(new ProxyOptions
        {
            Mode = ProxyMode.Forwarded, TrustedProxies = ["::1"], HeaderFormat = ForwardedCertificateFormat.Rfc9440, ChainHeaderName = "X-Chain",
        }));
    }

    [Theory]
    [InlineData(ForwardedCertificateFormat.NginxEscapedPem, "X-SSL-Client-Cert", null)]
    [InlineData(ForwardedCertificateFormat.Rfc9440, "Client-Cert", "Client-Cert-Chain")]
    [InlineData(ForwardedCertificateFormat.EnvoyXfcc, "x-forwarded-client-cert", null)]
    public void Each_format_has_its_conventional_header(ForwardedCertificateFormat format, string header, string? chainHeader)
    {
        var options = new ProxyOptions { HeaderFormat = format };

        Assert.Equal(header, options.EffectiveHeaderName);
        Assert.Equal(chainHeader, options.EffectiveChainHeaderName);
    }

    [Theory]
    [InlineData("127.0.0.2", "127.0.0.2", true)]
    [InlineData("127.0.0.2", "127.0.0.1", false)]
    [InlineData("10.1.0.0/16", "10.1.255.7", true)]
    [InlineData("10.1.0.0/16", "10.2.0.1", false)]
    [InlineData("127.0.0.2", "::ffff:127.0.0.2", true)]
    [InlineData("fd00::/8", "fd12::1", true)]
    [InlineData("::1", "127.0.0.1", false)]
    public void The_sender_address_is_matched_against_addresses_and_ranges(string entry, string sender, bool trusted)
    {
        var addresses = TrustedProxyAddresses.Parse([entry]);

        Assert.Equal(trusted, addresses.Contains(IPAddress.Parse(sender)));
        Assert.False(addresses.Contains(null));
    }

    private static List<string> Validate(ProxyOptions options)
    {
        var result = new ProxyOptionsValidator().Validate(null, options);
        return result.Failures?.ToList() ?? [];
    }
}
