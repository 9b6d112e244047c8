using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Pki;

internal static class SubjectAlternativeNames
{
    public static X509Extension? TryBuild(CertificateProfile profile)
    {
        if (profile.DnsNames.Count + profile.Uris.Count + profile.IpAddresses.Count + profile.Emails.Count == 0)
        {
            return null;
        }

        var builder = new SubjectAlternativeNameBuilder();
        foreach (var dns in profile.DnsNames)
        {
            builder.AddDnsName(dns);
        }

        foreach (var uri in profile.Uris)
        {
            builder.AddUri(new Uri(uri, UriKind.Absolute));
        }

        foreach (var ip in profile.IpAddresses)
        {
            builder.AddIpAddress(ip);
        }

        foreach (var email in profile.Emails)
        {
            builder.AddEmailAddress(email);
        }

        return builder.Build();
    }
}
