using Microsoft.AspNetCore.Http;

namespace MtlsAuthServer.CertificateForwarding.Parsing;

/// <summary>
/// RFC 9440: <c>Client-Cert</c> is one structured-field byte sequence holding the DER of the client's certificate
/// (§2.2); <c>Client-Cert-Chain</c> a list of byte sequences holding the intermediates (§2.3), which RFC 8941 lets an
/// intermediary split over several field lines, so its lines are joined. A repeated <c>Client-Cert</c> is refused.
/// </summary>
internal sealed class Rfc9440Parser(string certificateHeaderName, string chainHeaderName, ForwardedHeaderLimits limits) : IForwardedCertificateParser
{
    public IReadOnlyList<string> HeaderNames { get; } = [certificateHeaderName, chainHeaderName];

    public ForwardedCertificateParseResult Parse(IHeaderDictionary headers)
    {
        var certificateValues = ForwardedHeader.Read(headers, certificateHeaderName);
        var chainValues = ForwardedHeader.Read(headers, chainHeaderName);
        if (certificateValues.Count == 0)
        {
            return chainValues.Count == 0
                ? ForwardedCertificateParseResult.Absent
                : ForwardedCertificateParseResult.Invalid(ForwardedHeaderProblem.ChainWithoutCertificate,
                    $"{chainHeaderName} arrived without {certificateHeaderName} (RFC 9440 §2.3)");
        }

        if ((ForwardedHeader.CheckLength(certificateValues, certificateHeaderName, limits.MaxHeaderLength)
            ?? ForwardedHeader.CheckLength(chainValues, chainHeaderName, limits.MaxHeaderLength)
            ?? ForwardedHeader.CheckSingle(certificateValues, certificateHeaderName)) is { } refused)
        {
            return refused;
        }

        var value = certificateValues[0]!;
        if (value.Contains(',', StringComparison.Ordinal))
        {
            return ForwardedCertificateParseResult.Invalid(ForwardedHeaderProblem.MultipleValues, $"{certificateHeaderName} holds a list where one item is allowed");
        }

        if (StructuredFieldByteSequence.TryDecode(value) is not { } der)
        {
            return ForwardedCertificateParseResult.Invalid(ForwardedHeaderProblem.InvalidEncoding,
                $"{certificateHeaderName} is not a structured-field byte sequence (:base64:)");
        }

        var intermediates = new List<byte[]>();
        if (chainValues.Count > 0)
        {
            var members = string.Join(',', chainValues.Select(v => v ?? string.Empty)).Split(',');
            if (members.Length > limits.MaxChainCertificates)
            {
                return ForwardedCertificateParseResult.Invalid(ForwardedHeaderProblem.ChainTooLong,
                    $"{chainHeaderName} holds {members.Length} certificates; the limit is {limits.MaxChainCertificates}");
            }

            foreach (var member in members)
            {
                if (StructuredFieldByteSequence.TryDecode(member) is not { } intermediate)
                {
                    return ForwardedCertificateParseResult.Invalid(ForwardedHeaderProblem.InvalidEncoding,
                        $"{chainHeaderName} is not a list of structured-field byte sequences");
                }

                intermediates.Add(intermediate);
            }
        }

        if (DerCertificate.TryLoad(der) is not { } certificate)
        {
            return ForwardedCertificateParseResult.Invalid(ForwardedHeaderProblem.InvalidCertificate, $"{certificateHeaderName} is not a DER X.509 certificate");
        }

        if (DerCertificate.TryLoadAll(intermediates) is not { } chain)
        {
            certificate.Dispose();
            return ForwardedCertificateParseResult.Invalid(ForwardedHeaderProblem.InvalidCertificate, $"{chainHeaderName} holds a value that is not a DER X.509 certificate");
        }

        return ForwardedCertificateParseResult.Parsed(certificate, chain);
    }
}
