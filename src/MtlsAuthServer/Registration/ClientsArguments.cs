namespace MtlsAuthServer.Registration;

/// <summary>The arguments of <c>clients add|list|show|disable|rotate-cert</c>: the action and its <c>--name value</c> options (some repeatable).</summary>
public sealed record ClientsArguments(string Action, IReadOnlyDictionary<string, List<string>> Options)
{
    public const string Usage =
        "usage: MtlsAuthServer clients <action> [options]\n" +
        "  add          --auth-method tls_client_auth|self_signed_tls_client_auth [--client-id id] [--name text] [--scope \"a b\"]\n" +
        "               tls_client_auth: exactly one of --subject-dn, --san-dns, --san-uri, --san-ip, --san-email\n" +
        "               self_signed_tls_client_auth: --cert file.pem (repeatable)\n" +
        "  list         every client registered at run time (configured clients are in configuration)\n" +
        "  show         --client-id id\n" +
        "  disable      --client-id id   (as RFC 7592 delete: no more tokens; stored tokens revoked)\n" +
        "  rotate-cert  --client-id id (--add file.pem | --remove file.pem)...   (self_signed_tls_client_auth)\n" +
        "  --Section:Key=value  overrides configuration, as for the server\n" +
        "Writes to the server's database with the rules of the registration endpoint; running instances see a change within 10 s.\n" +
        "Exit code: 0 done, 2 refused (the reason is printed), 1 the command could not run.";

    public static readonly string[] Actions = ["add", "list", "show", "disable", "rotate-cert"];

    private static readonly HashSet<string> Repeatable = ["--cert", "--add", "--remove"];

    private static readonly HashSet<string> Known =
        ["--auth-method", "--client-id", "--name", "--scope", "--subject-dn", "--san-dns", "--san-uri", "--san-ip", "--san-email", "--cert", "--add", "--remove"];

    public string? One(string name) => Options.TryGetValue(name, out var values) ? values[0] : null;

    public IReadOnlyList<string> All(string name) => Options.TryGetValue(name, out var values) ? values : [];

    public static bool TryParse(ReadOnlySpan<string> args, out ClientsArguments arguments, out string error)
    {
        arguments = null!;
        if (args.Length == 0 || args[0] is "--help" or "-h" || !Actions.Contains(args[0]))
        {
            error = args.Length == 0 || args[0] is "--help" or "-h" ? string.Empty : $"unknown action '{args[0]}'";
            return false;
        }

        var options = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 1; i < args.Length; i++)
        {
            var name = args[i];
            if (name.StartsWith("--", StringComparison.Ordinal) && name.Contains('=', StringComparison.Ordinal))
            {
                continue; // --Section:Key=value is configuration for the host (read by the command-line provider), not ours.
            }

            if (!Known.Contains(name))
            {
                error = $"unknown option {name}";
                return false;
            }

            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                error = $"{name} needs a value";
                return false;
            }

            if (options.TryGetValue(name, out var values) && !Repeatable.Contains(name))
            {
                error = $"{name} is given twice";
                return false;
            }

            (options.TryGetValue(name, out values) ? values : options[name] = []).Add(args[++i]);
        }

        arguments = new ClientsArguments(args[0], options);
        error = args[0] is "show" or "disable" or "rotate-cert" && !options.ContainsKey("--client-id") ? "--client-id is required" : string.Empty;
        return error.Length == 0;
    }
}
