using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.PkiTool.Commands;

/// <summary><c>issue-client</c>: a client certificate from the issuing CA, with a new key or for a CSR's key.</summary>
internal static class IssueClientCommand
{
    public static Command Create(TimeProvider time)
    {
        var folder = ToolOptions.Folder();
        var name = new Option<string?>("--name") { Description = "File name under clients/ (default: the subject's CN).", HelpName = "name" };
        var identity = new IdentityOptions();
        var days = ToolOptions.Days(397, "Validity in days (never past the issuing CA's).");
        var key = ToolOptions.Key("Key algorithm of the new key (default ecdsa-p256).");
        var csr = new Option<string?>("--csr")
        {
            Description = "Sign this PKCS#10 CSR (PEM) instead of generating a key: the client keeps its key. Subject and SANs come from the command line, never from the CSR.",
            HelpName = "file",
        };
        var ocspUrl = ToolOptions.OcspUrl("OCSP responder URL (AIA) for this certificate (default: the issuing CA's, if init set one).");
        var printRegistration = new Option<bool>("--print-registration") { Description = "Print the matching client registration (appsettings JSON and environment variables)." };
        var registration = new RegistrationOptions(chooseIdentity: true);
        var register = new Option<string?>("--register")
        {
            Description = "Register the certificate at this RFC 7591 endpoint (the token server's https://…/register), over mTLS with it; the answer goes to clients/<name>.registration.json (0600).",
            HelpName = "url",
        };
        var initialAccessToken = new Option<string?>("--initial-access-token-file")
        {
            Description = "File holding the initial access token that authorizes --register.",
            HelpName = "file",
        };
        var force = ToolOptions.Force("Replace an existing certificate of the same name.");

        var command = new Command("issue-client", "Issue a client certificate (tls_client_auth) from the issuing CA.")
        {
            folder, name, days, key, csr, ocspUrl, printRegistration, register, initialAccessToken, force,
        };
        identity.AddTo(command);
        registration.AddTo(command);
        command.SetAction(parse => ToolAction.Run(parse, output =>
        {
            var layout = new DevelopmentPkiLayout(parse.GetValue(folder)!);
            var who = identity.Read(parse);
            var csrPath = parse.GetValue(csr);
            var fileName = ToolOptions.CheckName(parse.GetValue(name)
                ?? IdentityOptions.DefaultName(who)
                ?? (csrPath is null ? null : Path.GetFileNameWithoutExtension(csrPath))
                ?? throw new PkiToolException("--name is required when --subject has no CN."));
            var lifetime = parse.GetValue(days);
            ToolOptions.CheckDays(lifetime);
            if (csrPath is not null && parse.GetValue(key) is not null)
            {
                throw new PkiToolException("--key can't be used with --csr: the key is the one in the CSR.");
            }

            // Checked before anything is issued: a registration that can't be sent leaves no certificate behind.
            var endpoint = parse.GetValue(register) is { } url
                ? Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme == Uri.UriSchemeHttps
                    ? parsed
                    : throw new PkiToolException($"--register '{url}' is not an https:// URL (the token server's mTLS registration endpoint).")
                : null;
            var tokenFile = parse.GetValue(initialAccessToken);
            if (endpoint is not null && (tokenFile is null || !File.Exists(tokenFile)))
            {
                throw new PkiToolException("--register needs --initial-access-token-file naming an existing file.");
            }

            var now = time.GetUtcNow();
            var profile = new CertificateProfile
            {
                SubjectDn = who.Subject ?? "CN=" + fileName,
                DnsNames = who.DnsNames,
                Uris = who.Uris,
                IpAddresses = who.IpAddresses,
                Emails = who.Emails,
                NotBefore = now.AddMinutes(-5),
                NotAfter = now.AddDays(lifetime),
                KeyAlgorithm = ToolOptions.ParseKey(parse.GetValue(key), KeyAlgorithm.EcdsaP256),
            };

            var certificatePath = layout.ClientCertificate(fileName);
            var keyPath = layout.ClientKey(fileName);
            ToolOptions.CheckWritable(parse.GetValue(force), csrPath is null ? [certificatePath, keyPath] : [certificatePath]);
            using var issuing = OpenIssuingCa(layout, ToolOptions.ParseHttpUrl(parse.GetValue(ocspUrl), "--ocsp-url"));
            using var certificate = csrPath is null ? issuing.Issue(profile) : issuing.SignRequest(ReadCsr(csrPath), profile);
            PemFiles.WriteCertificates(certificatePath, certificate, issuing.Certificate);
            if (csrPath is null)
            {
                PemFiles.WritePrivateKey(keyPath, certificate);
                output.WriteLine($"Issued {certificatePath} (with the issuing CA) and its key {keyPath} (0600):");
            }
            else
            {
                output.WriteLine($"Signed {csrPath} as {certificatePath} (with the issuing CA); the key stays with the client:");
            }

            CertificateSummary.Write(output, certificate);
            var snippet = RegistrationSnippet.TlsClientAuth(registration.ClientId(parse, fileName), registration.Scope(parse), registration.Identity(parse), who, certificate);
            if (parse.GetValue(printRegistration))
            {
                RegistrationSnippet.Write(output, snippet);
            }

            if (endpoint is not null)
            {
                // With --csr the tool holds no key: the request goes without a client certificate (the token authorizes it).
                var (clientId, savedTo) = RegistrationRequest.Register(endpoint, tokenFile!, snippet, csrPath is null ? certificate : null, layout,
                    Path.ChangeExtension(certificatePath, ".registration.json"));
                output.WriteLine($"Registered as client_id {clientId}; the registration (with its registration access token) is in {savedTo} (0600).");
            }
        }));
        return command;
    }

    /// <summary>The folder's issuing CA, stamping its CRL/OCSP URLs (or this certificate's OCSP URL) into what it issues.</summary>
    internal static CertificateAuthority OpenIssuingCa(DevelopmentPkiLayout layout, Uri? ocspOverride = null)
    {
        if (!File.Exists(layout.IssuingCertificate) || !File.Exists(layout.IssuingKey))
        {
            throw new PkiToolException($"'{layout.Folder}' holds no issuing CA ({layout.IssuingCertificate}); run `mtls-pki init` first or pass --pki.");
        }

        var endpoints = layout.IssuingCa.ReadState().Endpoints
            ?? new RevocationEndpoints(new Uri(new Uri(ToolOptions.DefaultCrlBaseUrl), "issuing-ca.crl"), null);
        if (ocspOverride is not null)
        {
            endpoints = endpoints with { OcspUri = ocspOverride };
        }

        return CertificateAuthority.Load(layout.IssuingCertificate, layout.IssuingKey, endpoints);
    }

    private static string ReadCsr(string path)
    {
        if (!File.Exists(path))
        {
            throw new PkiToolException($"--csr: '{path}' does not exist.");
        }

        var text = File.ReadAllText(path);
        // LoadSigningRequestPem verifies the CSR's self-signature: proof that the requester holds the key.
        try
        {
            _ = CertificateRequest.LoadSigningRequestPem(text, System.Security.Cryptography.HashAlgorithmName.SHA256);
        }
        catch (System.Security.Cryptography.CryptographicException exception)
        {
            throw new PkiToolException($"--csr: '{path}' is not a valid PEM certificate request: {exception.Message}");
        }

        return text;
    }
}
