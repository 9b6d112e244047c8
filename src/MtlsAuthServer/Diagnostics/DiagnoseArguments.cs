namespace MtlsAuthServer.Diagnostics;

/// <summary>The arguments of <c>diagnose</c>: <c>--cert file [--chain file]... [--client-id id]</c>.</summary>
public sealed record DiagnoseArguments(string CertificatePath, IReadOnlyList<string> ChainPaths, string? ClientId)
{
    public const string Usage =
        "usage: MtlsAuthServer diagnose --cert <file> [--chain <file>]... [--client-id <client_id>]\n" +
        "  --cert       the client certificate (PEM or DER); certificates after the first in a PEM file are sent as its chain\n" +
        "  --chain      more intermediates the client sends in its handshake (PEM, repeatable)\n" +
        "  --client-id  check the certificate against this client's registration (identity, auth method)\n" +
        "  --Section:Key=value  overrides configuration, as for the server\n" +
        "Runs every check of the server's configured policy and prints PASS/FAIL with the reason code the server logs.\n" +
        "Exit code: 0 all checks pass, 2 a check fails, 1 the command could not run.";

    public static bool TryParse(ReadOnlySpan<string> args, out DiagnoseArguments arguments, out string error)
    {
        arguments = null!;
        string? certificate = null, clientId = null;
        var chain = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name is "--help" or "-h")
            {
                error = string.Empty;
                return false;
            }

            if (name.StartsWith("--", StringComparison.Ordinal) && name.Contains('=', StringComparison.Ordinal))
            {
                // --Section:Key=value is configuration for the host (read by the command-line provider), not ours.
                continue;
            }

            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                error = $"{name} needs a value";
                return false;
            }

            var value = args[++i];
            switch (name)
            {
                case "--cert":
                    certificate = value;
                    break;
                case "--chain":
                    chain.Add(value);
                    break;
                case "--client-id":
                    clientId = value;
                    break;
                default:
                    error = $"unknown option {name}";
                    return false;
            }
        }

        if (certificate is null)
        {
            error = "--cert is required";
            return false;
        }

        arguments = new DiagnoseArguments(certificate, chain, clientId);
        error = string.Empty;
        return true;
    }
}
