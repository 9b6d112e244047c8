using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.PkiTool.Commands;

/// <summary>
/// <c>signing-key</c>: the next token-signing key of a rollover, and the configuration that publishes it now and has it
/// sign once the lead time has passed (the server's <c>Tokens:SigningKey:Next</c>).
/// </summary>
internal static class SigningKeyCommand
{
    public static Command Create(TimeProvider time)
    {
        var path = new Option<string>("--path") { Description = "File to write the new private key to (PEM, 0600).", Required = true, HelpName = "file" };
        var algorithm = new Option<string>("--algorithm") { Description = "es256 (EC P-256, default) or ps256 (RSA 3072; Profile Fapi2's other algorithm).", DefaultValueFactory = _ => "es256" };
        var leadTime = new Option<string>("--lead-time")
        {
            Description = "How long the key is published before it signs (default 1d): at least the rollout to every instance plus how long resource servers cache the JWKS.",
            DefaultValueFactory = _ => "1d",
        };
        var force = ToolOptions.Force("Replace an existing key file.");
        var command = new Command("signing-key", "Create the next token-signing key and print the configuration of its rollover.") { path, algorithm, leadTime, force };
        command.SetAction(parse => ToolAction.Run(parse, output =>
        {
            var file = parse.GetValue(path)!;
            var lead = Duration.Parse(parse.GetValue(leadTime)!, "--lead-time");
            ToolOptions.CheckWritable(parse.GetValue(force), file);
            var pem = parse.GetValue(algorithm)!.ToLowerInvariant() switch
            {
                "es256" => NewEcKey(),
                "ps256" => NewRsaKey(),
                var other => throw new PkiToolException($"--algorithm: '{other}' is not es256 or ps256."),
            };
            PemFiles.WriteSecret(file, pem);
            var signsFrom = time.GetUtcNow().Add(lead).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            output.WriteLine($"Created signing key {file} (0600). Add to every instance now; it is published at once and signs from {signsFrom}:");
            output.WriteLine($"  Tokens__SigningKey__Next__Path={Path.GetFullPath(file)}");
            output.WriteLine($"  Tokens__SigningKey__Next__SignsFrom={signsFrom}");
            output.WriteLine("After it signs, promote it: Tokens__SigningKey__Path=<this file>, and move the old key to");
            output.WriteLine($"  Tokens__SigningKey__Previous__0__Path=<old key>  Tokens__SigningKey__Previous__0__RetiredAt={signsFrom}");
        }));
        return command;
    }

    private static string NewEcKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    }

    private static string NewRsaKey()
    {
        using var key = RSA.Create(3072);
        return key.ExportPkcs8PrivateKeyPem();
    }
}
