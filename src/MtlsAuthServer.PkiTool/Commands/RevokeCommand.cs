using System.CommandLine;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.PkiTool.Commands;

/// <summary><c>revoke</c>: record a certificate as revoked in its CA's state and publish the CA's new CRL.</summary>
internal static class RevokeCommand
{
    public static Command Create(TimeProvider time)
    {
        var folder = ToolOptions.Folder();
        var certificateFile = new Option<string?>("--cert") { Description = "The certificate to revoke (PEM or DER).", HelpName = "file" };
        var serial = new Option<string?>("--serial") { Description = "Or its serial number in hex (as printed by issue-client, openssl or the server's logs).", HelpName = "hex" };
        var reason = new Option<string>("--reason") { Description = "Reason code: " + RevocationReasons.Help + ".", DefaultValueFactory = _ => "unspecified" };
        var ca = CaOption(includeAll: false);
        var nextUpdate = ToolOptions.NextUpdate();

        var command = new Command("revoke", "Revoke a certificate (by file or serial) and publish the CA's CRL with the next CRL number.")
        {
            folder, certificateFile, serial, reason, ca, nextUpdate,
        };
        command.SetAction(parse => ToolAction.Run(parse, output =>
        {
            var layout = new DevelopmentPkiLayout(parse.GetValue(folder)!);
            var files = SelectCa(layout, parse.GetValue(ca)!).Single();
            var path = parse.GetValue(certificateFile);
            var serialText = parse.GetValue(serial);
            if ((path is null) == (serialText is null))
            {
                throw new PkiToolException("give exactly one of --cert and --serial.");
            }

            var now = time.GetUtcNow();
            RevocationRecord entry;
            if (path is not null)
            {
                using var certificate = CertificateSummary.ReadLeaf(path, "--cert");
                using var authority = CertificateAuthority.Load(files.Certificate, files.Key);
                if (!authority.IsIssuerOf(certificate))
                {
                    throw new PkiToolException($"--cert: '{path}' was not issued by {files.Name} ({files.Certificate}); see --ca.");
                }

                entry = new RevocationRecord(SerialNumbers.Canonical(certificate.SerialNumberBytes.Span), now,
                    RevocationReasons.Parse(parse.GetValue(reason)!), DistinguishedName.Format(certificate.SubjectName));
            }
            else
            {
                entry = SerialNumbers.TryParse(serialText!, out var canonical)
                    ? new RevocationRecord(canonical, now, RevocationReasons.Parse(parse.GetValue(reason)!))
                    : throw new PkiToolException($"--serial: '{serialText}' is not a hexadecimal serial number.");
            }

            Describe(output, files, CrlPublisher.Revoke(files, entry, now, Duration.Parse(parse.GetValue(nextUpdate)!, "--next-update")));
        }));
        return command;
    }

    internal static Option<string> CaOption(bool includeAll)
    {
        var option = new Option<string>("--ca")
        {
            Description = includeAll
                ? "Which CA's CRL: all, issuing (client and server certificates) or root (the issuing CA)."
                : "The CA that issued the certificate: issuing (client and server certificates) or root (the issuing CA).",
            DefaultValueFactory = _ => includeAll ? "all" : "issuing",
        };
        option.AcceptOnlyFromAmong(includeAll ? ["all", "issuing", "root"] : ["issuing", "root"]);
        return option;
    }

    internal static IEnumerable<CaFiles> SelectCa(DevelopmentPkiLayout layout, string which)
    {
        var selected = which switch
        {
            "root" => [layout.RootCa],
            "issuing" => [layout.IssuingCa],
            _ => new[] { layout.IssuingCa, layout.RootCa },
        };
        foreach (var files in selected)
        {
            if (!File.Exists(files.Certificate) || !File.Exists(files.Key))
            {
                throw new PkiToolException($"'{layout.Folder}' holds no {files.Name} ({files.Certificate}); run `mtls-pki init` first or pass --pki.");
            }
        }

        return selected;
    }

    internal static void Describe(TextWriter output, CaFiles files, RevocationOutcome outcome)
    {
        var entry = outcome.Entry;
        var who = entry.Subject is null ? string.Empty : $" ({entry.Subject})";
        if (outcome.WasAlreadyRevoked)
        {
            output.WriteLine($"Serial {entry.SerialNumber}{who} was already revoked by {files.Name} at {entry.RevokedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} ({RevocationReasons.Name(entry.Reason)}); the CRL is unchanged.");
            return;
        }

        output.WriteLine($"Revoked serial {entry.SerialNumber}{who} in {files.Name}: {RevocationReasons.Name(entry.Reason)}, at {entry.RevokedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}.");
        CrlCommand.Describe(output, outcome.Publication!);
        if (files.ReadState().CrlDistributionPoint is { } url)
        {
            output.WriteLine($"It is served at {url}: the token server refuses the certificate once its cached copy is older than Revocation:RefreshInterval (default 60 s).");
        }
    }
}
