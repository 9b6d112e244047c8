using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Certificates;

/// <summary>The SAN entries of a certificate, kept by type (RFC 5280 §4.2.1.6 GeneralName).</summary>
public sealed record SubjectAlternativeNameSet(
    IReadOnlyList<string> DnsNames, IReadOnlyList<string> Uris, IReadOnlyList<IPAddress> IpAddresses, IReadOnlyList<string> Emails)
{
    public static SubjectAlternativeNameSet Empty { get; } = new([], [], [], []);

    /// <summary>Reads the SAN extension; a malformed extension yields null (the caller rejects the certificate).</summary>
    public static SubjectAlternativeNameSet? TryRead(X509Certificate2 certificate)
    {
        var extension = certificate.Extensions[Oids.SubjectAlternativeName];
        if (extension is null)
        {
            return Empty;
        }

        try
        {
            List<string> dns = [], uris = [], emails = [];
            List<IPAddress> ips = [];
            var names = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
            while (names.HasData)
            {
                var tag = names.PeekTag();
                if (tag.TagClass != TagClass.ContextSpecific)
                {
                    return null;
                }

                switch (tag.TagValue)
                {
                    case 1:
                        emails.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                        break;
                    case 2:
                        dns.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                        break;
                    case 6:
                        uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                        break;
                    case 7:
                        var octets = names.ReadOctetString(tag);
                        if (octets.Length is not (4 or 16))
                        {
                            return null;
                        }

                        ips.Add(new IPAddress(octets));
                        break;
                    default:
                        names.ReadEncodedValue();
                        break;
                }
            }

            return new SubjectAlternativeNameSet(dns, uris, ips, emails);
        }
        catch (Exception exception) when (exception is AsnContentException or CryptographicException or ArgumentException)
        {
            return null;
        }
    }
}
