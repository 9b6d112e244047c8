using System.CommandLine;
using System.Text.RegularExpressions;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.PkiTool.Commands;

/// <summary>
/// <c>rotate</c>: a new certificate (new key, new serial) for the identity of an existing one. A
/// <c>tls_client_auth</c> registration names the identity, not the certificate, so old and new both work
/// until the old one expires or is revoked; a self-signed client registers both certificates for the overlap.
/// </summary>
internal static partial class RotateCommand
{
    public static Command Create(TimeProvider time)
    {
        var folder = ToolOptions.Folder();
        var certificateFile = new Option<string>("--cert") { Description = "The certificate to rotate (PEM or DER).", Required = true, HelpName = "file" };
        var name = new Option<string?>("--name") { Description = "File name of the new certificate under clients/ (default: <old name>-<UTC timestamp>).", HelpName = "name" };
        var days = ToolOptions.Days(397, "Validity of the new certificate in days.");
        var key = ToolOptions.Key("Key algorithm of the new key (default: the old certificate's).");
        var revokeOld = new Option<bool>("--revoke-old") { Description = "Revoke the old certificate now (reason --reason) and publish the CRL." };
        var reason = new Option<string>("--reason") { Description = "Reason code for --revoke-old: " + RevocationReasons.Help + ".", DefaultValueFactory = _ => "superseded" };
        var nextUpdate = ToolOptions.NextUpdate();
        var registration = new RegistrationOptions(chooseIdentity: false);
        var force = ToolOptions.Force("Replace an existing certificate of the same name.");

        var command = new Command("rotate", "Issue a new certificate for the same identity (subject and SANs) as an existing client certificate.")
        {
            folder, certificateFile, name, days, key, revokeOld, reason, nextUpdate, force,
        };
        registration.AddTo(command);
        command.SetAction(parse => ToolAction.Run(parse, output =>
        {
            var layout = new DevelopmentPkiLayout(parse.GetValue(folder)!);
            var oldPath = parse.GetValue(certificateFile)!;
            using var old = CertificateSummary.ReadLeaf(oldPath, "--cert");
            var now = time.GetUtcNow();
            var fileName = ToolOptions.CheckName(parse.GetValue(name) ?? DefaultName(oldPath, now));
            var lifetime = parse.GetValue(days);
            ToolOptions.CheckDays(lifetime);
            var algorithm = ToolOptions.ParseKey(parse.GetValue(key), KeyAlgorithms.Of(old)
                ?? throw new PkiToolException("the old certificate's key type can't be generated here; pass --key."));
            var certificatePath = layout.ClientCertificate(fileName);
            var keyPath = layout.ClientKey(fileName);
            ToolOptions.CheckWritable(parse.GetValue(force), certificatePath, keyPath);

            if (old.SubjectName.RawData.AsSpan().SequenceEqual(old.IssuerName.RawData))
            {
                if (parse.GetValue(revokeOld))
                {
                    throw new PkiToolException("--revoke-old: a self-signed certificate has no CA to revoke it; remove it from the client's registration (jwks) instead.");
                }

                using var renewed = SelfSignedCertificate.Recreate(old, now.AddMinutes(-5), now.AddDays(lifetime), algorithm);
                PemFiles.WriteCertificates(certificatePath, renewed);
                PemFiles.WritePrivateKey(keyPath, renewed);
                output.WriteLine($"Created self-signed {certificatePath} and its key {keyPath} (0600) for the identity of {oldPath}:");
                CertificateSummary.Write(output, renewed);
                output.WriteLine();
                output.WriteLine("Register both certificates for the overlap; once every instance uses the new one, drop the old x5c (the server reloads registrations).");
                var clientId = registration.ClientId(parse, StripTimestamp(Path.GetFileNameWithoutExtension(oldPath)));
                RegistrationSnippet.Write(output, RegistrationSnippet.SelfSigned(clientId, registration.Scope(parse), [old, renewed]));
                return;
            }

            using var issuing = IssueClientCommand.OpenIssuingCa(layout);
            if (!issuing.IsIssuerOf(old))
            {
                throw new PkiToolException($"--cert: '{oldPath}' was not issued by this PKI's issuing CA ({layout.IssuingCertificate}).");
            }

            using (var renewed = issuing.Reissue(old, now.AddMinutes(-5), now.AddDays(lifetime), algorithm))
            {
                PemFiles.WriteCertificates(certificatePath, renewed, issuing.Certificate);
                PemFiles.WritePrivateKey(keyPath, renewed);
                output.WriteLine($"Issued {certificatePath} (with the issuing CA) and its key {keyPath} (0600) for the identity of {oldPath}:");
                CertificateSummary.Write(output, renewed);
            }

            output.WriteLine();
            if (!parse.GetValue(revokeOld))
            {
                output.WriteLine("The client's registration stays as it is (tls_client_auth matches the identity): old and new both authenticate until");
                output.WriteLine($"the old one expires ({old.NotAfter.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ}) or is revoked: mtls-pki revoke --cert {oldPath} --reason superseded");
                return;
            }

            var outcome = CrlPublisher.Revoke(layout.IssuingCa,
                new RevocationRecord(SerialNumbers.Canonical(old.SerialNumberBytes.Span), now, RevocationReasons.Parse(parse.GetValue(reason)!), DistinguishedName.Format(old.SubjectName)),
                now, Duration.Parse(parse.GetValue(nextUpdate)!, "--next-update"));
            RevokeCommand.Describe(output, layout.IssuingCa, outcome);
        }));
        return command;
    }

    private static string DefaultName(string oldPath, DateTimeOffset now) =>
        $"{StripTimestamp(Path.GetFileNameWithoutExtension(oldPath))}-{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}";

    private static string StripTimestamp(string name) => RotationSuffix().Replace(name, string.Empty);

    [GeneratedRegex(@"-\d{8}T\d{6}Z$")]
    private static partial Regex RotationSuffix();
}
