using MtlsAuthServer.Diagnostics;

namespace MtlsAuthServer.Hosting;

/// <summary>
/// The one Content-Type the OAuth endpoints accept: <c>application/x-www-form-urlencoded</c> (RFC 6749 §3.2,
/// RFC 7662 §2.1, RFC 7009 §2.1), with no parameter but an optional <c>charset</c> of UTF-8 (RFC 6749 Appendix B),
/// case-insensitive, quoted or not. Parsed here by the RFC 9110 §8.3.1 grammar, without the framework's lenient
/// parsers, so a value such as <c>charset=utf-7</c> or <c>charset="</c> is a clear refusal, never an exception
/// further down.
/// </summary>
public static class FormContentType
{
    public const string MediaType = "application/x-www-form-urlencoded";

    /// <returns>Null when <paramref name="header"/> is acceptable, else the problem and a description for the client.</returns>
    public static (RequestProblem Problem, string Description)? Check(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return (RequestProblem.UnsupportedMediaType, $"The request must be sent as {MediaType}.");
        }

        var parts = header.Split(';');
        if (!string.Equals(Trim(parts[0]), MediaType, StringComparison.OrdinalIgnoreCase))
        {
            return (RequestProblem.UnsupportedMediaType, $"The request must be sent as {MediaType}.");
        }

        string? charset = null;
        foreach (var part in parts.AsSpan(1))
        {
            // RFC 9110 §5.6.6: parameters = *( OWS ";" OWS [ parameter ] ), so empty ones are allowed.
            var parameter = Trim(part);
            if (parameter.Length == 0)
            {
                continue;
            }

            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !IsToken(parameter.AsSpan(0, equals)) || !TryReadValue(parameter[(equals + 1)..], out var value))
            {
                return (RequestProblem.MalformedContentType, "The Content-Type header is malformed.");
            }

            if (!parameter.AsSpan(0, equals).Equals("charset", StringComparison.OrdinalIgnoreCase))
            {
                return (RequestProblem.UnsupportedMediaType, $"The request must be sent as {MediaType} without media type parameters other than charset.");
            }

            if (charset is not null)
            {
                return (RequestProblem.MalformedContentType, "The Content-Type header names more than one charset.");
            }

            charset = value;
        }

        return charset is null || string.Equals(charset, "utf-8", StringComparison.OrdinalIgnoreCase)
            ? null
            : (RequestProblem.UnsupportedCharset, "The request body must be encoded in UTF-8.");
    }

    private static string Trim(string value) => value.Trim(' ', '\t');

    // parameter-value = ( token / quoted-string ); a quoted-pair can't occur in a charset name we accept.
    private static bool TryReadValue(string text, out string value)
    {
        value = text;
        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
        {
            value = text[1..^1];
            return value.Length > 0 && IsToken(value);
        }

        return IsToken(text);
    }

    private static bool IsToken(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && "!#$%&'*+-.^_`|~".IndexOf(c, StringComparison.Ordinal) < 0)
            {
                return false;
            }
        }

        return true;
    }
}
