using System.CommandLine;
using System.Net;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.PkiTool;

/// <summary>Who a certificate is for, as given on the command line: a subject DN and SAN entries of each type.</summary>
internal sealed record CertificateIdentity(string? Subject, IReadOnlyList<string> DnsNames, IReadOnlyList<string> Uris,
    IReadOnlyList<IPAddress> IpAddresses, IReadOnlyList<string> Emails)
{
    public bool HasSans => DnsNames.Count + Uris.Count + IpAddresses.Count + Emails.Count > 0;
}

/// <summary>The <c>--subject</c> and <c>--san-*</c> options of the commands that create a client certificate.</summary>
internal sealed class IdentityOptions
{
    private readonly Option<string?> _subject = new("--subject")
    {
        Description = "Subject DN, e.g. \"CN=payments,O=Example\" (default: CN=<name>).",
        HelpName = "dn",
    };

    private readonly Option<string[]> _dns = new("--san-dns") { Description = "SAN DNS name (repeatable).", HelpName = "name" };
    private readonly Option<string[]> _uri = new("--san-uri") { Description = "SAN URI, e.g. a SPIFFE ID spiffe://example.org/ns/prod/sa/orders (repeatable).", HelpName = "uri" };
    private readonly Option<string[]> _ip = new("--san-ip") { Description = "SAN IP address (repeatable).", HelpName = "address" };
    private readonly Option<string[]> _email = new("--san-email") { Description = "SAN email address (repeatable).", HelpName = "address" };

    public void AddTo(Command command)
    {
        command.Options.Add(_subject);
        command.Options.Add(_dns);
        command.Options.Add(_uri);
        command.Options.Add(_ip);
        command.Options.Add(_email);
    }

    public CertificateIdentity Read(ParseResult parse)
    {
        var subject = parse.GetValue(_subject);
        if (subject is not null)
        {
            // The registration's reader, not .NET's: every name a client can be registered with can be issued, and back.
            if (!DistinguishedName.TryEncode(subject, out _, out var error))
            {
                throw new PkiToolException($"--subject: '{subject}' is not an RFC 4514 distinguished name: {error}");
            }
        }

        var uris = (parse.GetValue(_uri) ?? []).Select(value =>
            Uri.TryCreate(value, UriKind.Absolute, out var uri)
                ? uri.AbsoluteUri
                : throw new PkiToolException($"--san-uri: '{value}' is not an absolute URI.")).ToList();
        var ips = (parse.GetValue(_ip) ?? []).Select(value =>
            IPAddress.TryParse(value, out var address)
                ? address
                : throw new PkiToolException($"--san-ip: '{value}' is not an IP address.")).ToList();
        var emails = (parse.GetValue(_email) ?? []).Select(value =>
            value.IndexOf('@', StringComparison.Ordinal) > 0
                ? value
                : throw new PkiToolException($"--san-email: '{value}' is not an email address.")).ToList();
        var dns = (parse.GetValue(_dns) ?? []).Select(value =>
            value.Length > 0 && !value.Any(char.IsWhiteSpace)
                ? value
                : throw new PkiToolException($"--san-dns: '{value}' is not a DNS name.")).ToList();
        return new CertificateIdentity(subject, dns, uris, ips, emails);
    }

    /// <summary>The file name for a certificate with this identity: --name, else the subject's CN.</summary>
    public static string? DefaultName(CertificateIdentity identity)
    {
        if (identity.Subject is null)
        {
            return null;
        }

        var commonName = DistinguishedName.Encode(identity.Subject).EnumerateRelativeDistinguishedNames()
            .Where(rdn => !rdn.HasMultipleElements && rdn.GetSingleElementType().Value == Pki.Oids.CommonName)
            .Select(rdn => rdn.GetSingleElementValue())
            .FirstOrDefault(value => !string.IsNullOrWhiteSpace(value));
        return commonName is null ? null : new string(commonName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray());
    }
}
