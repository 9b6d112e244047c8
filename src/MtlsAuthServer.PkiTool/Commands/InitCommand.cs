using System.CommandLine;
using System.Net;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.PkiTool.Commands;

/// <summary><c>init</c>: root CA → issuing CA → server certificate, trust bundles, empty CRLs and CA state, in the layout the server's dev defaults read.</summary>
internal static class InitCommand
{
    public static Command Create(TimeProvider time)
    {
        var folder = ToolOptions.Folder();
        var dns = new Option<string[]>("--dns") { Description = "DNS name in the server certificate (repeatable; default: localhost).", HelpName = "name" };
        var ip = new Option<string[]>("--ip") { Description = "IP address in the server certificate (repeatable; default: 127.0.0.1 and ::1 when no --dns/--ip is given).", HelpName = "address" };
        var crlBaseUrl = new Option<string>("--crl-base-url")
        {
            Description = "Base URL where root-ca.crl and issuing-ca.crl are served; stamped into every issued certificate as its CRL distribution point. The token server serves CrlPublication:Folder at /crl/ on its management listener.",
            DefaultValueFactory = _ => ToolOptions.DefaultCrlBaseUrl,
            HelpName = "url",
        };
        var ocspUrl = ToolOptions.OcspUrl("OCSP responder URL stamped (AIA) into the certificates the issuing CA issues.");
        var organization = new Option<string>("--organization") { Description = "O= of the CA and server names.", DefaultValueFactory = _ => "MtlsAuthServer Dev" };
        var key = ToolOptions.Key("Key algorithm of the CAs and the server certificate (default ecdsa-p256).");
        var caDays = new Option<int>("--ca-days") { Description = "Validity of the CA certificates in days.", DefaultValueFactory = _ => 5 * 365 };
        var serverDays = new Option<int>("--server-days") { Description = "Validity of the server certificate in days.", DefaultValueFactory = _ => 397 };
        var nextUpdate = ToolOptions.NextUpdate();
        var force = ToolOptions.Force("Replace an existing PKI in the folder (every certificate it issued stops chaining).");

        var command = new Command("init", "Create a PKI: root CA, issuing CA, server certificate, trust bundles and empty CRLs (keys 0600).")
        {
            folder, dns, ip, crlBaseUrl, ocspUrl, organization, key, caDays, serverDays, nextUpdate, force,
        };
        command.SetAction(parse => ToolAction.Run(parse, output =>
        {
            var layout = new DevelopmentPkiLayout(parse.GetValue(folder)!);
            if ((File.Exists(layout.RootKey) || File.Exists(layout.IssuingKey)) && !parse.GetValue(force))
            {
                throw new PkiToolException($"'{layout.Folder}' already holds a PKI; pass --force to replace it (certificates it issued stop working).");
            }

            var dnsNames = parse.GetValue(dns) ?? [];
            var addresses = (parse.GetValue(ip) ?? []).Select(text =>
                IPAddress.TryParse(text, out var address) ? address : throw new PkiToolException($"--ip: '{text}' is not an IP address.")).ToList();
            if (dnsNames.Length == 0 && addresses.Count == 0)
            {
                dnsNames = ["localhost"];
                addresses = [IPAddress.Loopback, IPAddress.IPv6Loopback];
            }

            var crlBase = ToolOptions.ParseHttpUrl(parse.GetValue(crlBaseUrl), "--crl-base-url");
            if (crlBase is not null && !crlBase.AbsoluteUri.EndsWith('/'))
            {
                crlBase = new Uri(crlBase.AbsoluteUri + "/");
            }

            var settings = new DevelopmentPkiSettings
            {
                Organization = parse.GetValue(organization)!,
                ServerDnsNames = dnsNames,
                ServerIpAddresses = addresses,
                CrlBaseUri = crlBase,
                OcspUri = ToolOptions.ParseHttpUrl(parse.GetValue(ocspUrl), "--ocsp-url"),
                CaValidity = Days(parse.GetValue(caDays), "--ca-days"),
                LeafValidity = Days(parse.GetValue(serverDays), "--server-days"),
                CrlValidity = Duration.Parse(parse.GetValue(nextUpdate)!, "--next-update"),
                KeyAlgorithm = ToolOptions.ParseKey(parse.GetValue(key), KeyAlgorithm.EcdsaP256),
            };
            DevelopmentPki.Create(layout, settings, time.GetUtcNow());
            Describe(output, layout, settings);
        }));
        return command;
    }

    private static TimeSpan Days(int days, string option) =>
        days > 0 ? TimeSpan.FromDays(days) : throw new PkiToolException($"{option}: {days} is not a positive number of days.");

    private static void Describe(TextWriter output, DevelopmentPkiLayout layout, DevelopmentPkiSettings settings)
    {
        var names = settings.ServerDnsNames.Select(n => "DNS:" + n).Concat(settings.ServerIpAddresses.Select(a => "IP:" + a));
        var issuing = layout.IssuingCa.ReadState();
        output.WriteLine($"Created a PKI in {layout.Folder} ({settings.KeyAlgorithm.Name()}, O={settings.Organization}):");
        output.WriteLine($"  root CA        {layout.RootCertificate}  key {layout.RootKey} (0600)");
        output.WriteLine($"  issuing CA     {layout.IssuingCertificate}  key {layout.IssuingKey} (0600)");
        output.WriteLine($"  server         {layout.ServerCertificate}  key {layout.ServerKey} (0600)  {string.Join(", ", names)}");
        output.WriteLine($"  trust bundles  {layout.TrustAnchors} (root), {layout.Intermediates} (issuing CA)");
        output.WriteLine($"  CRLs           {layout.RootCrl}, {layout.IssuingCrl}  (CRL number 1, empty, next update {issuing.NextUpdate:yyyy-MM-ddTHH:mm:ssZ})");
        output.WriteLine($"  CA state       {layout.RootState}, {layout.IssuingState}");
        output.WriteLine($"  CRL URL        {issuing.CrlDistributionPoint ?? "(none)"}  (stamped into issued certificates)");
        if (issuing.OcspUrl is not null)
        {
            output.WriteLine($"  OCSP URL       {issuing.OcspUrl}");
        }

        output.WriteLine();
        output.WriteLine("Token server configuration (environment variables; paths are absolute):");
        output.WriteLine($"ServerCertificate__Path={Path.GetFullPath(layout.ServerCertificate)}");
        output.WriteLine($"ServerCertificate__KeyPath={Path.GetFullPath(layout.ServerKey)}");
        output.WriteLine($"TrustAnchors__Path={Path.GetFullPath(layout.TrustAnchors)}");
        output.WriteLine($"TrustAnchors__IntermediatesPath={Path.GetFullPath(layout.Intermediates)}");
        output.WriteLine($"CrlPublication__Folder={Path.GetFullPath(layout.CrlFolder)}");
    }
}
