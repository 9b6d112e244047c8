using System.Text;

namespace MtlsAuthServer.CertificateForwarding.Parsing;

/// <summary>
/// The syntax of Envoy's <c>x-forwarded-client-cert</c>: elements separated by <c>,</c> (one per proxy hop), each a
/// list of <c>Key=Value</c> pairs separated by <c>;</c>; a value containing <c>,</c> <c>;</c> or <c>=</c> is
/// double-quoted, with <c>\"</c> and <c>\\</c> escapes inside the quotes.
/// </summary>
internal static class XfccElements
{
    public static List<List<KeyValuePair<string, string>>>? TryRead(string header)
    {
        var elements = new List<List<KeyValuePair<string, string>>>();
        var current = new List<KeyValuePair<string, string>>();
        elements.Add(current);
        var i = 0;
        while (true)
        {
            var keyStart = i;
            while (i < header.Length && header[i] is not ('=' or ';' or ',' or '"'))
            {
                i++;
            }

            var key = header[keyStart..i].Trim();
            if (key.Length == 0 || i == header.Length || header[i] != '=')
            {
                return null;
            }

            i++;
            string value;
            if (i < header.Length && header[i] == '"')
            {
                var quoted = new StringBuilder();
                i++;
                while (i < header.Length && header[i] != '"')
                {
                    if (header[i] == '\\' && ++i == header.Length)
                    {
                        return null;
                    }

                    quoted.Append(header[i++]);
                }

                if (i == header.Length)
                {
                    return null;
                }

                i++;
                value = quoted.ToString();
                while (i < header.Length && header[i] is ' ' or '\t')
                {
                    i++;
                }
            }
            else
            {
                var valueStart = i;
                while (i < header.Length && header[i] is not (';' or ','))
                {
                    if (header[i] == '"')
                    {
                        return null;
                    }

                    i++;
                }

                value = header[valueStart..i].Trim();
            }

            current.Add(new(key, value));
            if (i == header.Length)
            {
                return elements;
            }

            if (header[i] == ',')
            {
                current = [];
                elements.Add(current);
            }
            else if (header[i] != ';')
            {
                return null;
            }

            i++;
        }
    }
}
