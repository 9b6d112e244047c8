using Microsoft.AspNetCore.Http;

namespace MtlsAuthServer.CertificateForwarding.Parsing;

/// <summary>
/// nginx <c>proxy_set_header X-SSL-Client-Cert $ssl_client_escaped_cert</c>: the client's leaf certificate as
/// URL-encoded PEM, one header, one certificate. nginx has no variable for the client's intermediates, so none are
/// forwarded: the application completes the chain from <c>TrustAnchors:IntermediatesPath</c>.
/// </summary>
internal sealed class NginxEscapedPemParser(string headerName, ForwardedHeaderLimits limits) : IForwardedCertificateParser
{
    public IReadOnlyList<string> HeaderNames { get; } = [headerName];

    public ForwardedCertificateParseResult Parse(IHeaderDictionary headers)
    {
        var values = ForwardedHeader.Read(headers, headerName);
        if (values.Count == 0)
        {
            return ForwardedCertificateParseResult.Absent;
        }

        if ((ForwardedHeader.CheckLength(values, headerName, limits.MaxHeaderLength) ?? ForwardedHeader.CheckSingle(values, headerName)) is { } refused)
        {
            return refused;
        }

        var value = values[0]!.Trim();
        if (value.Contains(',', StringComparison.Ordinal))
        {
            // An intermediary joined two header lines: nginx escapes ',' (and PEM has none), so this is two values.
            return ForwardedCertificateParseResult.Invalid(ForwardedHeaderProblem.MultipleValues, $"{headerName} holds several comma-separated values");
        }

        var blobs = new List<byte[]>(1);
        var problem = EscapedPem.TryDecode(value, maxCertificates: 1, blobs, out var detail);
        if (problem != ForwardedHeaderProblem.None)
        {
            return ForwardedCertificateParseResult.Invalid(problem, $"{headerName}: {detail}");
        }

        return DerCertificate.TryLoad(blobs[0]) is { } certificate
            ? ForwardedCertificateParseResult.Parsed(certificate, [])
            : ForwardedCertificateParseResult.Invalid(ForwardedHeaderProblem.InvalidCertificate, $"{headerName}: the PEM block is not a DER X.509 certificate");
    }
}
