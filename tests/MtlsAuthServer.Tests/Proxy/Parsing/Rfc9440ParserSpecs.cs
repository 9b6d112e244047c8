using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using MtlsAuthServer.CertificateForwarding.Parsing;

namespace MtlsAuthServer.Tests.Proxy.Parsing;

/// <summary>RFC 9440 <c>Client-Cert</c> (one byte sequence) and <c>Client-Cert-Chain</c> (a list of byte sequences).</summary>
public sealed class Rfc9440ParserSpecs(ParserCertificates certificates) : IClassFixture<ParserCertificates>
{
    private const string CertificateHeader = "Client-Cert";
    private const string ChainHeader = "Client-Cert-Chain";
    private readonly Rfc9440Parser _parser = new(CertificateHeader, ChainHeader, ForwardedHeaderLimits.Default);

    [Fact]
    public void The_certificate_and_its_intermediates_are_read()
    {
        var result = _parser.Parse(new HeaderDictionary
        {
            [CertificateHeader] = ForwardedHeaderValues.ByteSequence(certificates.Client),
            [ChainHeader] = ForwardedHeaderValues.ByteSequence(certificates.Issuing),
        });

        Assert.Equal(ForwardedCertificateStatus.Parsed, result.Status);
        Assert.Equal(certificates.Client.RawData, result.Certificate!.RawData);
        Assert.Equal(certificates.Issuing.RawData, Assert.Single(result.Chain).RawData);
        Dispose(result);
    }

    [Fact]
    public void A_chain_split_over_several_field_lines_is_one_list()
    {
        // RFC 8941 §4.2: the field lines of a List are combined with commas.
        var result = _parser.Parse(new HeaderDictionary
        {
            [CertificateHeader] = ForwardedHeaderValues.ByteSequence(certificates.Client),
            [ChainHeader] = new StringValues([ForwardedHeaderValues.ByteSequence(certificates.Issuing), " " + ForwardedHeaderValues.ByteSequence(certificates.Pki.Root.Certificate)]),
        });

        Assert.Equal(ForwardedCertificateStatus.Parsed, result.Status);
        Assert.Equal(2, result.Chain.Count);
        Dispose(result);
    }

    [Fact]
    public void Base64_without_padding_is_accepted()
    {
        var unpadded = ":" + Convert.ToBase64String(certificates.Client.RawData).TrimEnd('=') + ":";

        var result = Parse(unpadded);

        Assert.Equal(ForwardedCertificateStatus.Parsed, result.Status);
        Dispose(result);
    }

    [Fact]
    public void No_header_means_no_certificate()
    {
        Assert.Equal(ForwardedCertificateStatus.Absent, _parser.Parse(new HeaderDictionary()).Status);
    }

    [Fact]
    public void A_chain_without_a_certificate_is_refused()
    {
        var result = _parser.Parse(new HeaderDictionary { [ChainHeader] = ForwardedHeaderValues.ByteSequence(certificates.Issuing) });

        AssertInvalid(result, ForwardedHeaderProblem.ChainWithoutCertificate);
    }

    [Fact]
    public void Client_cert_twice_is_refused()
    {
        var result = _parser.Parse(new HeaderDictionary
        {
            [CertificateHeader] = new StringValues([ForwardedHeaderValues.ByteSequence(certificates.Victim), ForwardedHeaderValues.ByteSequence(certificates.Client)]),
        });

        AssertInvalid(result, ForwardedHeaderProblem.MultipleValues);
    }

    [Fact]
    public void A_list_in_client_cert_is_refused()
    {
        var list = ForwardedHeaderValues.ByteSequence(certificates.Victim) + ", " + ForwardedHeaderValues.ByteSequence(certificates.Client);

        AssertInvalid(Parse(list), ForwardedHeaderProblem.MultipleValues);
    }

    [Theory]
    [InlineData("MIIBkTCB+w==")]
    [InlineData(":MIIB kTCB+w==:")]
    [InlineData(":MIIB%2BkTCB:")]
    [InlineData(":AA==AA:")]
    [InlineData(":MIIBkTCB:;verified=?1")]
    [InlineData("::")]
    public void Values_that_are_not_one_byte_sequence_are_refused(string value) =>
        AssertInvalid(Parse(value), ForwardedHeaderProblem.InvalidEncoding);

    [Fact]
    public void Nginx_style_escaped_pem_is_not_accepted_as_rfc_9440()
    {
        AssertInvalid(Parse(ForwardedHeaderValues.NginxEscaped(certificates.Client)), ForwardedHeaderProblem.InvalidEncoding);
    }

    [Fact]
    public void A_byte_sequence_that_is_not_a_certificate_is_refused()
    {
        AssertInvalid(Parse(":" + Convert.ToBase64String("not a certificate"u8) + ":"), ForwardedHeaderProblem.InvalidCertificate);
    }

    [Fact]
    public void A_chain_member_that_is_not_a_certificate_is_refused()
    {
        var result = _parser.Parse(new HeaderDictionary
        {
            [CertificateHeader] = ForwardedHeaderValues.ByteSequence(certificates.Client),
            [ChainHeader] = ForwardedHeaderValues.ByteSequence(certificates.Issuing) + ", :AAAA:",
        });

        AssertInvalid(result, ForwardedHeaderProblem.InvalidCertificate);
    }

    [Fact]
    public void A_chain_longer_than_the_limit_is_refused()
    {
        var nine = string.Join(", ", Enumerable.Repeat(ForwardedHeaderValues.ByteSequence(certificates.Issuing), 9));
        var result = _parser.Parse(new HeaderDictionary
        {
            [CertificateHeader] = ForwardedHeaderValues.ByteSequence(certificates.Client),
            [ChainHeader] = nine,
        });

        AssertInvalid(result, ForwardedHeaderProblem.ChainTooLong);
    }

    [Fact]
    public void An_oversized_header_is_refused()
    {
        var parser = new Rfc9440Parser(CertificateHeader, ChainHeader, new ForwardedHeaderLimits(1024, 8));
        var result = parser.Parse(new HeaderDictionary
        {
            [CertificateHeader] = ForwardedHeaderValues.ByteSequence(certificates.Client),
            [ChainHeader] = string.Join(", ", Enumerable.Repeat(ForwardedHeaderValues.ByteSequence(certificates.Issuing), 3)),
        });

        AssertInvalid(result, ForwardedHeaderProblem.Oversized);
    }

    private ForwardedCertificateParseResult Parse(string value) => _parser.Parse(new HeaderDictionary { [CertificateHeader] = value });

    private static void AssertInvalid(ForwardedCertificateParseResult result, ForwardedHeaderProblem problem)
    {
        Assert.Equal(ForwardedCertificateStatus.Invalid, result.Status);
        Assert.Equal(problem, result.Problem);
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
