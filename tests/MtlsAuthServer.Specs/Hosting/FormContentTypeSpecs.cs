using MtlsAuthServer.Diagnostics;
using MtlsAuthServer.Hosting;

namespace MtlsAuthServer.Specs.Hosting;

/// <summary>
/// The Content-Type rule of the OAuth endpoints as a table (RFC 6749 §3.2 and Appendix B, RFC 9110 §5.6.6 and
/// §8.3.1): each header value and the problem it must be refused with, or none. The end-to-end specs send the same
/// values over TLS and assert the 400 and event 4500.
/// </summary>
public sealed class FormContentTypeSpecs
{
    [Theory]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("APPLICATION/X-WWW-FORM-URLENCODED")]
    [InlineData("application/x-www-form-urlencoded; charset=utf-8")]
    [InlineData("application/x-www-form-urlencoded;charset=UTF-8")]
    [InlineData("application/x-www-form-urlencoded; charset=\"utf-8\"")]
    [InlineData("application/x-www-form-urlencoded;;; charset=utf-8 ;")]
    [InlineData("  application/x-www-form-urlencoded  ")]
    public void A_utf8_form_is_accepted(string header) => Assert.Null(FormContentType.Check(header));

    [Theory]
    [InlineData(null, RequestProblem.UnsupportedMediaType)]
    [InlineData("", RequestProblem.UnsupportedMediaType)]
    [InlineData("application/json", RequestProblem.UnsupportedMediaType)]
    [InlineData("multipart/form-data; boundary=x", RequestProblem.UnsupportedMediaType)]
    [InlineData("application/x-www-form-urlencoded; boundary=x", RequestProblem.UnsupportedMediaType)]
    [InlineData("application/x-www-form-urlencoded; charset=utf-7", RequestProblem.UnsupportedCharset)]
    [InlineData("application/x-www-form-urlencoded; charset=iso-8859-1", RequestProblem.UnsupportedCharset)]
    [InlineData("application/x-www-form-urlencoded; charset=", RequestProblem.MalformedContentType)]
    [InlineData("application/x-www-form-urlencoded; charset=\"", RequestProblem.MalformedContentType)]
    [InlineData("application/x-www-form-urlencoded; charset=\"utf-8", RequestProblem.MalformedContentType)]
    [InlineData("application/x-www-form-urlencoded; =utf-8", RequestProblem.MalformedContentType)]
    [InlineData("application/x-www-form-urlencoded; charset=utf-8; charset=utf-8", RequestProblem.MalformedContentType)]
    [InlineData("application/x-www-form-urlencoded; char set=utf-8", RequestProblem.MalformedContentType)]
    public void Anything_else_is_refused_with_its_problem(string? header, RequestProblem expected)
    {
        var refusal = FormContentType.Check(header);

        Assert.NotNull(refusal);
        Assert.Equal(expected, refusal.Value.Problem);
        if (!string.IsNullOrEmpty(header))
        {
            Assert.DoesNotContain(header, refusal.Value.Description, StringComparison.Ordinal); // no echo of client input
        }
    }
}
