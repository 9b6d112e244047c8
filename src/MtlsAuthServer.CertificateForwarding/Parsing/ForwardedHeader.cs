using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace MtlsAuthServer.CertificateForwarding.Parsing;

/// <summary>Reading one forwarding header under the shared rules: bounded length, a single field line.</summary>
internal static class ForwardedHeader
{
    /// <summary>The header's field lines; empty when absent or only empty lines were sent.</summary>
    public static StringValues Read(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var values) && values.Any(v => !string.IsNullOrWhiteSpace(v)) ? values : StringValues.Empty;

    public static ForwardedCertificateParseResult? CheckLength(StringValues values, string name, int maxLength)
    {
        long length = 0;
        foreach (var value in values)
        {
            length += value?.Length ?? 0;
        }

        return length > maxLength
            ? ForwardedCertificateParseResult.Invalid(ForwardedHeaderProblem.Oversized, $"{name} is {length} characters long; the limit is {maxLength}")
            : null;
    }

    /// <summary>Formats whose header is one item (a certificate) refuse a repeated header rather than pick one.</summary>
    public static ForwardedCertificateParseResult? CheckSingle(StringValues values, string name) =>
        values.Count > 1
            ? ForwardedCertificateParseResult.Invalid(ForwardedHeaderProblem.MultipleValues, $"{name} arrived {values.Count} times")
            : null;
}
