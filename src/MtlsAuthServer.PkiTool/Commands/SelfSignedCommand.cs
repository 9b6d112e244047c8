using System.CommandLine;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.PkiTool.Commands;

/// <summary><c>self-signed</c>: a self-signed client certificate (RFC 8705 §2.2) and the registration that pins it.</summary>
internal static class SelfSignedCommand
{
    public static Command Create(TimeProvider time)
    {
        var folder = ToolOptions.Folder();
        var name = new Option<string?>("--name") { Description = "File name under clients/ (default: the subject's CN).", HelpName = "name" };
        var identity = new IdentityOptions();
        var days = ToolOptions.Days(397, "Validity in days.");
        var key = ToolOptions.Key("Key algorithm of the new key (default ecdsa-p256).");
        var registration = new RegistrationOptions(chooseIdentity: false);
        var force = ToolOptions.Force("Replace an existing certificate of the same name.");

        var command = new Command("self-signed", "Create a self-signed client certificate (self_signed_tls_client_auth) and print its registration.")
        {
            folder, name, days, key, force,
        };
        identity.AddTo(command);
        registration.AddTo(command);
        command.SetAction(parse => ToolAction.Run(parse, output =>
        {
            var layout = new DevelopmentPkiLayout(parse.GetValue(folder)!);
            var who = identity.Read(parse);
            var fileName = ToolOptions.CheckName(parse.GetValue(name) ?? IdentityOptions.DefaultName(who)
                ?? throw new PkiToolException("--name is required when --subject has no CN."));
            var lifetime = parse.GetValue(days);
            ToolOptions.CheckDays(lifetime);
            var certificatePath = layout.ClientCertificate(fileName);
            var keyPath = layout.ClientKey(fileName);
            ToolOptions.CheckWritable(parse.GetValue(force), certificatePath, keyPath);

            var now = time.GetUtcNow();
            using var certificate = SelfSignedCertificate.Create(new CertificateProfile
            {
                SubjectDn = who.Subject ?? "CN=" + fileName,
                DnsNames = who.DnsNames,
                Uris = who.Uris,
                IpAddresses = who.IpAddresses,
                Emails = who.Emails,
                NotBefore = now.AddMinutes(-5),
                NotAfter = now.AddDays(lifetime),
                KeyAlgorithm = ToolOptions.ParseKey(parse.GetValue(key), KeyAlgorithm.EcdsaP256),
            });
            PemFiles.WriteCertificates(certificatePath, certificate);
            PemFiles.WritePrivateKey(keyPath, certificate);
            output.WriteLine($"Created self-signed {certificatePath} and its key {keyPath} (0600):");
            CertificateSummary.Write(output, certificate);
            RegistrationSnippet.Write(output, RegistrationSnippet.SelfSigned(registration.ClientId(parse, fileName), registration.Scope(parse), [certificate]));
        }));
        return command;
    }
}
