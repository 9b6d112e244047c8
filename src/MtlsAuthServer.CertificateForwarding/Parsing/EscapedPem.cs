using System.Security.Cryptography;

namespace MtlsAuthServer.CertificateForwarding.Parsing;

/// <summary>
/// URL-encoded PEM, as nginx's <c>$ssl_client_escaped_cert</c> and Envoy's XFCC <c>Cert=</c>/<c>Chain=</c> write it:
/// percent-decoded exactly once (a value still encoded after that is refused, never decoded again), then strict PEM:
/// only <c>CERTIFICATE</c> blocks, nothing but whitespace around them.
/// </summary>
internal static class EscapedPem
{
    private const string CertificateLabel = "CERTIFICATE";

    public static ForwardedHeaderProblem TryDecode(string escaped, int maxCertificates, List<byte[]> certificates, out string detail)
    {
        // An escaped value is printable ASCII without spaces; a raw multi-line PEM, control characters or non-ASCII
        // mean the proxy is not escaping (or something else wrote the header).
        foreach (var c in escaped)
        {
            if (c is < '!' or > '~')
            {
                detail = "the value is not URL-encoded (it holds spaces, control or non-ASCII characters)";
                return ForwardedHeaderProblem.InvalidEncoding;
            }
        }

        // Uri.UnescapeDataString keeps '+' (base64) as '+', unlike form decoding, which would turn it into a space.
        var pem = Uri.UnescapeDataString(escaped);
        if (pem.Contains('%', StringComparison.Ordinal))
        {
            // PEM never contains '%': either encoded twice, or a broken escape. Neither is decoded further.
            var twice = !string.Equals(Uri.UnescapeDataString(pem), pem, StringComparison.Ordinal);
            detail = twice ? "the value is URL-encoded more than once" : "the value has an invalid percent escape";
            return twice ? ForwardedHeaderProblem.DoubleEncoded : ForwardedHeaderProblem.InvalidEncoding;
        }

        var rest = pem.AsSpan();
        while (!rest.IsWhiteSpace())
        {
            if (!PemEncoding.TryFind(rest, out var fields))
            {
                detail = "the value is not PEM";
                return ForwardedHeaderProblem.InvalidEncoding;
            }

            if (!rest[..fields.Location.Start].IsWhiteSpace())
            {
                detail = "the PEM has text outside its certificate blocks";
                return ForwardedHeaderProblem.InvalidEncoding;
            }

            if (!rest[fields.Label].SequenceEqual(CertificateLabel))
            {
                detail = $"the PEM holds a '{rest[fields.Label]}' block where only CERTIFICATE is allowed";
                return ForwardedHeaderProblem.InvalidEncoding;
            }

            if (certificates.Count == maxCertificates)
            {
                detail = $"the PEM holds more than {maxCertificates} certificate(s)";
                return maxCertificates == 1 ? ForwardedHeaderProblem.MultipleValues : ForwardedHeaderProblem.ChainTooLong;
            }

            var der = new byte[fields.DecodedDataLength];
            if (!Convert.TryFromBase64Chars(rest[fields.Base64Data], der, out var written) || written != der.Length)
            {
                detail = "the PEM's base64 does not decode";
                return ForwardedHeaderProblem.InvalidEncoding;
            }

            certificates.Add(der);
            rest = rest[fields.Location.End..];
        }

        if (certificates.Count == 0)
        {
            detail = "the PEM holds no certificate";
            return ForwardedHeaderProblem.InvalidEncoding;
        }

        detail = string.Empty;
        return ForwardedHeaderProblem.None;
    }
}
