using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>The revocation URLs a certificate names: CRL distribution points and OCSP responders (HTTP only).</summary>
public static class CertificateLocations
{
    public static IReadOnlyList<Uri> CrlDistributionPoints(X509Certificate2 certificate)
    {
        var extension = certificate.Extensions[Oids.CrlDistributionPoints];
        if (extension is null)
        {
            return [];
        }

        var uris = new List<Uri>();
        try
        {
            // CRLDistributionPoints ::= SEQUENCE OF DistributionPoint; we read fullName URIs only.
            var points = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
            while (points.HasData)
            {
                var point = points.ReadSequence();
                if (!point.HasData || point.PeekTag() != new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true))
                {
                    continue;
                }

                var name = point.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true));
                if (!name.HasData || name.PeekTag() != new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true))
                {
                    continue;
                }

                var generalNames = name.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true));
                while (generalNames.HasData)
                {
                    var tag = generalNames.PeekTag();
                    if (tag == new Asn1Tag(TagClass.ContextSpecific, 6))
                    {
                        AddIfFetchable(uris, generalNames.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                    }
                    else
                    {
                        generalNames.ReadEncodedValue();
                    }
                }
            }
        }
        catch (Exception exception) when (exception is AsnContentException or CryptographicException)
        {
            return [];
        }

        return uris;
    }

    public static IReadOnlyList<Uri> OcspResponders(X509Certificate2 certificate)
    {
        if (certificate.Extensions[Oids.AuthorityInformationAccess] is not X509AuthorityInformationAccessExtension aia)
        {
            return [];
        }

        var uris = new List<Uri>();
        try
        {
            foreach (var uri in aia.EnumerateOcspUris())
            {
                AddIfFetchable(uris, uri);
            }
        }
        catch (CryptographicException)
        {
            return [];
        }

        return uris;
    }

    private static void AddIfFetchable(List<Uri> uris, string value)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && RevocationHttpFetcher.IsFetchable(uri))
        {
            uris.Add(uri);
        }
    }
}
