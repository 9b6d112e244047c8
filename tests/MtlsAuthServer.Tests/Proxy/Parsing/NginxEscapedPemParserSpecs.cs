using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using MtlsAuthServer.CertificateForwarding.Parsing;

namespace MtlsAuthServer.Tests.Proxy.Parsing;

/// <summary>nginx <c>$ssl_client_escaped_cert</c> in <c>X-SSL-Client-Cert</c>: one URL-encoded PEM certificate, decoded once.</summary>
public sealed class NginxEscapedPemParserSpecs(ParserCertificates certificates) : IClassFixture<ParserCertificates>
{
    private const string Header = "X-SSL-Client-Cert";
    private readonly NginxEscapedPemParser _parser = new(Header, ForwardedHeaderLimits.Default);

    [Fact]
    public void An_escaped_pem_certificate_is_read_without_intermediates()
    {
        var result = Parse(ForwardedHeaderValues.NginxEscaped(certificates.Client));

        Assert.Equal(ForwardedCertificateStatus.Parsed, result.Status);
        using var certificate = result.Certificate!;
        Assert.Equal(certificates.Client.RawData, certificate.RawData);
        Assert.Empty(result.Chain);
    }

    [Fact]
    public void Base64_plus_and_slash_left_unescaped_by_a_proxy_are_kept_not_turned_into_spaces()
    {
        // Some encoders leave '+', '/' and '=' alone; form decoding would corrupt '+' into ' '.
        var pem = ForwardedHeaderValues.Pem(certificates.Client);
        var lenient = pem.Replace("\n", "%0A", StringComparison.Ordinal).Replace(" ", "%20", StringComparison.Ordinal);

        var result = Parse(lenient);

        Assert.Equal(ForwardedCertificateStatus.Parsed, result.Status);
        result.Certificate!.Dispose();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void No_header_or_an_empty_one_means_no_certificate(string? value)
    {
        var headers = new HeaderDictionary();
        if (value is not null)
        {
            headers[Header] = value;
        }

        Assert.Equal(ForwardedCertificateStatus.Absent, _parser.Parse(headers).Status);
    }

    [Fact]
    public void The_header_twice_is_refused_rather_than_one_picked()
    {
        var headers = new HeaderDictionary
        {
            [Header] = new StringValues([ForwardedHeaderValues.NginxEscaped(certificates.Victim), ForwardedHeaderValues.NginxEscaped(certificates.Client)]),
        };

        AssertInvalid(_parser.Parse(headers), ForwardedHeaderProblem.MultipleValues);
    }

    [Fact]
    public void Two_values_joined_with_a_comma_are_refused()
    {
        var joined = ForwardedHeaderValues.NginxEscaped(certificates.Victim) + "," + ForwardedHeaderValues.NginxEscaped(certificates.Client);

        AssertInvalid(Parse(joined), ForwardedHeaderProblem.MultipleValues);
    }

    [Fact]
    public void Two_certificates_in_one_pem_are_refused()
    {
        var both = Uri.EscapeDataString(ForwardedHeaderValues.Pem(certificates.Client, certificates.Issuing));

        AssertInvalid(Parse(both), ForwardedHeaderProblem.MultipleValues);
    }

    [Fact]
    public void A_header_longer_than_the_limit_is_refused_before_decoding()
    {
        var parser = new NginxEscapedPemParser(Header, new ForwardedHeaderLimits(1024, 8));

        var result = parser.Parse(new HeaderDictionary { [Header] = ForwardedHeaderValues.NginxEscaped(certificates.Client) + new string('A', 1024) });

        AssertInvalid(result, ForwardedHeaderProblem.Oversized);
    }

    [Fact]
    public void A_double_encoded_value_is_refused_and_not_decoded_twice()
    {
        var twice = Uri.EscapeDataString(ForwardedHeaderValues.NginxEscaped(certificates.Client));

        AssertInvalid(Parse(twice), ForwardedHeaderProblem.DoubleEncoded);
    }

    [Theory]
    [InlineData("%zz%0A")]
    [InlineData("-----BEGIN%20CERTIFICATE-----%0A%E2%28%A1")]
    [InlineData("bm90IGEgY2VydGlmaWNhdGU")]
    [InlineData("-----BEGIN%20CERTIFICATE-----%0AMIIB!!!notbase64%0A-----END%20CERTIFICATE-----%0A")]
    [InlineData("-----BEGIN%20PRIVATE%20KEY-----%0AAAAA%0A-----END%20PRIVATE%20KEY-----%0A")]
    public void Values_that_are_not_escaped_pem_certificates_are_refused(string value) =>
        AssertInvalid(Parse(value), ForwardedHeaderProblem.InvalidEncoding);

    [Fact]
    public void Raw_unescaped_pem_is_refused()
    {
        AssertInvalid(Parse(ForwardedHeaderValues.Pem(certificates.Client).Replace("\n", " ", StringComparison.Ordinal)), ForwardedHeaderProblem.InvalidEncoding);
    }

    [Fact]
    public void Text_around_the_pem_block_is_refused()
    {
        AssertInvalid(Parse("subject%3DCN%3Dvictim%0A" + ForwardedHeaderValues.NginxEscaped(certificates.Client)), ForwardedHeaderProblem.InvalidEncoding);
        AssertInvalid(Parse(ForwardedHeaderValues.NginxEscaped(certificates.Client) + "trailer"), ForwardedHeaderProblem.InvalidEncoding);
    }

    [Theory]
    [InlineData(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x01 })]
    [InlineData(new byte[] { 0x04, 0x02, 0xAB, 0xCD })]
    public void A_certificate_block_whose_der_is_not_a_certificate_is_refused(byte[] der)
    {
        var pem = $"-----BEGIN CERTIFICATE-----\n{Convert.ToBase64String(der)}\n-----END CERTIFICATE-----\n";

        AssertInvalid(Parse(Uri.EscapeDataString(pem)), ForwardedHeaderProblem.InvalidCertificate);
    }

    [Fact]
    public void A_certificate_with_bytes_after_its_der_is_refused()
    {
        byte[] padded = [.. certificates.Client.RawData, 0x00, 0x00];
        var pem = $"-----BEGIN CERTIFICATE-----\n{Convert.ToBase64String(padded)}\n-----END CERTIFICATE-----\n";

        AssertInvalid(Parse(Uri.EscapeDataString(pem)), ForwardedHeaderProblem.InvalidCertificate);
    }

    private ForwardedCertificateParseResult Parse(string value) => _parser.Parse(new HeaderDictionary { [Header] = value });

    private static void AssertInvalid(ForwardedCertificateParseResult result, ForwardedHeaderProblem problem)
    {
        Assert.Equal(ForwardedCertificateStatus.Invalid, result.Status);
        Assert.Equal(problem, result.Problem);
        Assert.Null(result.Certificate);
        Assert.StartsWith(Header, result.Detail, StringComparison.Ordinal);
    }
}
