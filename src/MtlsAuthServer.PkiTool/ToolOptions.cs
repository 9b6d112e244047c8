using System.CommandLine;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.PkiTool;

/// <summary>Options shared by several commands (each command gets its own instances).</summary>
internal static class ToolOptions
{
    public const string DefaultCrlBaseUrl = "http://localhost:8081/crl/";

    public static Option<string> Folder() => new("--pki", "--out")
    {
        Description = "The PKI folder (the one `init` created).",
        DefaultValueFactory = _ => "certs",
        HelpName = "folder",
    };

    public static Option<string> NextUpdate() => new("--next-update")
    {
        Description = "How long the published CRL is valid (its nextUpdate): publish again with `crl` before it passes.",
        DefaultValueFactory = _ => "7d",
        HelpName = "duration",
    };

    public static Option<string?> Key(string description) => new("--key")
    {
        Description = description + " One of: " + string.Join(", ", KeyAlgorithms.All) + ".",
        HelpName = "algorithm",
    };

    public static Option<int> Days(int defaultDays, string description) => new("--days")
    {
        Description = description,
        DefaultValueFactory = _ => defaultDays,
    };

    public static Option<bool> Force(string description) => new("--force") { Description = description };

    public static Option<string?> OcspUrl(string description) => new("--ocsp-url") { Description = description, HelpName = "url" };

    public static KeyAlgorithm ParseKey(string? text, KeyAlgorithm fallback) =>
        text is null ? fallback
        : KeyAlgorithms.TryParse(text, out var algorithm) ? algorithm
        : throw new PkiToolException($"--key: '{text}' is not one of {string.Join(", ", KeyAlgorithms.All)}.");

    public static Uri? ParseHttpUrl(string? text, string option)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new PkiToolException($"{option}: '{text}' is not an absolute http(s) URL.");
    }

    public static void CheckDays(int days)
    {
        if (days <= 0)
        {
            throw new PkiToolException($"--days: {days} is not a positive number of days.");
        }
    }

    /// <summary>Refuses to replace an existing certificate or key unless --force says so.</summary>
    public static void CheckWritable(bool force, params string[] paths)
    {
        foreach (var path in paths)
        {
            if (File.Exists(path) && !force)
            {
                throw new PkiToolException($"'{path}' exists; choose another --name or pass --force to replace it.");
            }
        }
    }

    /// <summary>A name usable as a file name under clients/.</summary>
    public static string CheckName(string name) =>
        name.Length is > 0 and <= 100 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && name[0] != '.'
            ? name
            : throw new PkiToolException($"--name: '{name}' must be letters, digits, '-', '_' or '.' (it becomes a file name).");
}
