using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using MtlsAuthServer.CertificateForwarding.Parsing;

namespace MtlsAuthServer.Tests.Proxy.Parsing;

/// <summary>Envoy <c>x-forwarded-client-cert</c>: the last element (the trusted hop's own) is read; Hash= is only cross-checked.</summary>
public sealed class EnvoyXfccParserSpecs(ParserCertificates certificates) : IClassFixture<ParserCertificates>
{
    private const string Header = "x-forwarded-client-cert";
    private readonly EnvoyXfccParser _parser = new(Header, ForwardedHeaderLimits.Default);

    [Fact]
    public void Cert_and_chain_are_read_and_the_leaf_is_not_repeated_among_the_intermediates()
    {
        var result = Parse(ForwardedHeaderValues.XfccElement(certificates.Client, [certificates.Issuing]));

        Assert.Equal(ForwardedCertificateStatus.Parsed, result.Status);
        Assert.Equal(certificates.Client.RawData, result.Certificate!.RawData);
        Assert.Equal(certificates.Issuing.RawData, Assert.Single(result.Chain).RawData);
        Dispose(result);
    }

    [Fact]
    public void Only_the_last_element_written_by_the_immediate_hop_counts()
    {
        // APPEND_FORWARD: whatever the client sent comes first; the trusted proxy appends its own element last.
        var forgedThenReal = ForwardedHeaderValues.XfccElement(certificates.Victim) + "," + ForwardedHeaderValues.XfccElement(certificates.Client);

        var result = Parse(forgedThenReal);

        Assert.Equal(ForwardedCertificateStatus.Parsed, result.Status);
        Assert.Equal(certificates.Client.RawData, result.Certificate!.RawData);
        Dispose(result);
    }

    [Fact]
    public void Quoted_values_may_hold_commas_semicolons_and_escaped_quotes()
    {
        var element = "Subject=\"CN=\\\"quoted\\\", O=a;b=c\";" + ForwardedHeaderValues.XfccElement(certificates.Client);

        var result = Parse(element);

        Assert.Equal(ForwardedCertificateStatus.Parsed, result.Status);
        Dispose(result);
    }

    [Fact]
    public void An_element_without_cert_is_no_certificate_even_with_a_hash()
    {
        var hashOnly = $"By=spiffe://proxy;Hash={Convert.ToHexStringLower(SHA256.HashData(certificates.Client.RawData))};Subject=\"CN=payments\"";

        AssertInvalid(Parse(hashOnly), ForwardedHeaderProblem.MissingCertificate);
    }

    [Fact]
    public void A_hash_that_does_not_match_cert_is_refused()
    {
        var wrongHash = Convert.ToHexStringLower(SHA256.HashData(certificates.Victim.RawData));

        AssertInvalid(Parse(ForwardedHeaderValues.XfccElement(certificates.Client, hash: wrongHash)), ForwardedHeaderProblem.HashMismatch);
    }

    [Fact]
    public void Hash_is_hex_sha256_and_an_x5t_s256_value_there_is_refused()
    {
        var x5t = Base64Url.EncodeToString(SHA256.HashData(certificates.Client.RawData));

        AssertInvalid(Parse(ForwardedHeaderValues.XfccElement(certificates.Client, hash: x5t)), ForwardedHeaderProblem.HashMismatch);
    }

    [Fact]
    public void An_uppercase_hex_hash_is_the_same_hash()
    {
        var upper = Convert.ToHexString(SHA256.HashData(certificates.Client.RawData));

        var result = Parse(ForwardedHeaderValues.XfccElement(certificates.Client, hash: upper));

        Assert.Equal(ForwardedCertificateStatus.Parsed, result.Status);
        Dispose(result);
    }

    [Fact]
    public void The_header_on_two_field_lines_is_refused()
    {
        var headers = new HeaderDictionary
        {
            [Header] = new StringValues([ForwardedHeaderValues.XfccElement(certificates.Client), ForwardedHeaderValues.XfccElement(certificates.Victim)]),
        };

        AssertInvalid(_parser.Parse(headers), ForwardedHeaderProblem.MultipleValues);
    }

    [Theory]
    [InlineData("Cert=\"unterminated")]
    [InlineData("By=spiffe://proxy;")]
    [InlineData("By=spiffe://proxy,")]
    [InlineData("Cert")]
    [InlineData("=value")]
    [InlineData("Cert=a\"b")]
    [InlineData("Cert=\"a\"b")]
    public void Broken_syntax_is_refused(string value) => AssertInvalid(Parse(value), ForwardedHeaderProblem.InvalidSyntax);

    [Fact]
    public void A_repeated_cert_key_is_refused()
    {
        var element = ForwardedHeaderValues.XfccElement(certificates.Client) + $";Cert=\"{ForwardedHeaderValues.NginxEscaped(certificates.Victim)}\"";

        AssertInvalid(Parse(element), ForwardedHeaderProblem.InvalidSyntax);
    }

    [Fact]
    public void A_double_encoded_cert_is_refused()
    {
        var twice = $"Cert=\"{Uri.EscapeDataString(ForwardedHeaderValues.NginxEscaped(certificates.Client))}\"";

        AssertInvalid(Parse(twice), ForwardedHeaderProblem.DoubleEncoded);
    }

    [Fact]
    public void A_cert_that_is_not_a_certificate_is_refused()
    {
        var pem = Uri.EscapeDataString($"-----BEGIN CERTIFICATE-----\n{Convert.ToBase64String("junk"u8)}\n-----END CERTIFICATE-----\n");

        AssertInvalid(Parse($"Cert=\"{pem}\""), ForwardedHeaderProblem.InvalidCertificate);
    }

    [Fact]
    public void A_chain_longer_than_the_limit_is_refused()
    {
        var result = Parse(ForwardedHeaderValues.XfccElement(certificates.Client, Enumerable.Repeat(certificates.Issuing, 9)));

        AssertInvalid(result, ForwardedHeaderProblem.ChainTooLong);
    }

    [Fact]
    public void An_oversized_header_is_refused()
    {
        var parser = new EnvoyXfccParser(Header, new ForwardedHeaderLimits(1024, 8));

        var result = parser.Parse(new HeaderDictionary { [Header] = ForwardedHeaderValues.XfccElement(certificates.Client, [certificates.Issuing]) });

        AssertInvalid(result, ForwardedHeaderProblem.Oversized);
    }

    private ForwardedCertificateParseResult Parse(string value) => _parser.Parse(new HeaderDictionary { [Header] = value });

    private static void AssertInvalid(ForwardedCertificateParseResult result, ForwardedHeaderProblem problem)
    {
        Assert.True(result.Status == ForwardedCertificateStatus.Invalid && result.Problem == problem,
            $"expected {problem}, got {result.Status}/{result.Problem}: {result.Detail}");
        Assert.Null(result.Certificate);
    }

    private static void Dispose(ForwardedCertificateParseResult result)
    {
        result.Certificate?.Dispose();
        foreach (var certificate in result.Chain)
        {
            certificate.Dispose();
        }
    }
}
