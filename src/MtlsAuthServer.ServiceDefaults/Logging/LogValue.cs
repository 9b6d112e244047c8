using System.Globalization;
using System.Text;

namespace MtlsAuthServer.ServiceDefaults.Logging;

/// <summary>
/// Makes a value safe to write into a log line: control characters escaped, length bounded. Values a client
/// chooses (its <c>client_id</c>, its certificate's names, a request path) would otherwise forge lines in the text
/// log (a CR/LF followed by a fake event) or amplify every request into tens of kilobytes of log.
/// </summary>
public static class LogValue
{
    /// <summary>How much of a client-chosen value (client_id, subject, issuer) a log event keeps.</summary>
    public const int MaxLength = 128;

    /// <summary>How much of a detail (our text quoting client-chosen values) a log event keeps.</summary>
    public const int MaxDetailLength = 512;

    /// <summary>Bound applied to every string property of every event (<see cref="LogValueEscaping"/>), whatever its origin.</summary>
    public const int MaxPropertyLength = 2048;

    /// <summary>
    /// Keeps the first <paramref name="maxLength"/> characters (never splitting a surrogate pair) followed by
    /// <c>…(n more)</c>, and writes C0/C1 controls, DEL, U+2028/U+2029 and the bidirectional overrides as
    /// <c>\n</c>, <c>\r</c>, <c>\t</c> or <c>\uXXXX</c>, so one value is always one visible, bounded run of text.
    /// </summary>
    public static string Clean(string? value, int maxLength = MaxLength)
    {
        if (value is null)
        {
            return "-";
        }

        var keep = value.Length <= maxLength ? value.Length : maxLength;
        if (keep > 0 && keep < value.Length && char.IsHighSurrogate(value[keep - 1]))
        {
            keep--;
        }

        if (keep == value.Length && !NeedsEscaping(value))
        {
            return value;
        }

        var builder = new StringBuilder(keep + 16);
        foreach (var c in value.AsSpan(0, keep))
        {
            switch (c)
            {
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                default:
                    if (IsUnsafe(c))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        if (keep < value.Length)
        {
            builder.Append("…(").Append((value.Length - keep).ToString(CultureInfo.InvariantCulture)).Append(" more)");
        }

        return builder.ToString();
    }

    private static bool NeedsEscaping(string value)
    {
        foreach (var c in value)
        {
            if (IsUnsafe(c))
            {
                return true;
            }
        }

        return false;
    }

    // Line and paragraph separators end a line in many viewers; the bidi embeddings/overrides/isolates
    // (U+202A–U+202E, U+2066–U+2069) reorder what a reader sees.
    private static bool IsUnsafe(char c) =>
        char.IsControl(c) || c is '\u2028' or '\u2029' || c is >= '\u202A' and <= '\u202E' || c is >= '\u2066' and <= '\u2069';
}
