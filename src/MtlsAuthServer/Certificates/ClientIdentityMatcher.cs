using System.Net;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Certificates;

/// <summary>
/// Decides whether a certificate carries a client's registered identity (RFC 8705 §2.1.2): the subject DN
/// compared as a parsed name, SAN entries compared only against entries of the same type.
/// </summary>
public static class ClientIdentityMatcher
{
    public static bool Matches(X509Certificate2 certificate, ClientIdentity identity, SubjectAlternativeNameSet sans) => identity.Kind switch
    {
        ClientIdentityKind.SubjectDn => DistinguishedName.TryParse(identity.Value, out var expected, out _)
            && DistinguishedName.TryFromX500(certificate.SubjectName, out var presented, out _) && expected.Equals(presented),
        // DNS names are case-insensitive (RFC 4343); a trailing root dot is not significant. No wildcards:
        // the registered value names one client, not a pattern.
        ClientIdentityKind.SanDns => sans.DnsNames.Any(dns =>
            string.Equals(dns.TrimEnd('.'), identity.Value.TrimEnd('.'), StringComparison.OrdinalIgnoreCase)),
        // URIs such as SPIFFE IDs compare exactly: paths are case-sensitive.
        ClientIdentityKind.SanUri => sans.Uris.Any(uri => string.Equals(uri, identity.Value, StringComparison.Ordinal)),
        // Compare addresses, not strings: "::1" and "0:0::1" are the same address.
        ClientIdentityKind.SanIp => IPAddress.TryParse(identity.Value, out var ip) && sans.IpAddresses.Any(ip.Equals),
        ClientIdentityKind.SanEmail => sans.Emails.Any(email => EmailEquals(email, identity.Value)),
        _ => false,
    };

    // RFC 5280 §7.5: the local part is case-sensitive, the domain part is not.
    private static bool EmailEquals(string presented, string registered)
    {
        var p = presented.LastIndexOf('@');
        var r = registered.LastIndexOf('@');
        return p > 0 && r > 0
            && string.Equals(presented[..p], registered[..r], StringComparison.Ordinal)
            && string.Equals(presented[(p + 1)..], registered[(r + 1)..], StringComparison.OrdinalIgnoreCase);
    }
}
