using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>The revocation URLs a certificate names: CRL distribution points and OCSP responders (HTTP only).</summary>
public static class CertificateLocations
{
    private static readonly Asn1Tag UriName = new(TagClass.ContextSpecific, 6);

    /// <summary>The HTTP(S) URIs among the certificate's CRL distribution point names.</summary>
    public static IReadOnlyList<Uri> CrlDistributionPoints(X509Certificate2 certificate)
    {
        var uris = new List<Uri>();
        foreach (var name in DistributionPointNames(certificate))
        {
            var reader = new AsnReader(name, AsnEncodingRules.DER);
            if (reader.PeekTag() == UriName)
            {
                AddIfFetchable(uris, reader.ReadCharacterString(UniversalTagNumber.IA5String, UriName));
            }
        }

        return uris;
    }

    /// <summary>
    /// Every encoded GeneralName in the fullName of the certificate's distribution points (RFC 5280 §4.2.1.13), for
    /// matching against a CRL's issuing distribution point. A malformed extension names nothing.
    /// </summary>
    public static IReadOnlyList<byte[]> DistributionPointNames(X509Certificate2 certificate)
    {
        var extension = certificate.Extensions[Oids.CrlDistributionPoints];
        if (extension is null)
        {
            return [];
        }

        var names = new List<byte[]>();
        try
        {
            // CRLDistributionPoints ::= SEQUENCE OF DistributionPoint { distributionPoint [0] DistributionPointName OPTIONAL, ... }
            var points = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
            while (points.HasData)
            {
                var point = points.ReadSequence();
                var distributionPoint = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
                if (point.HasData && point.PeekTag() == distributionPoint)
                {
                    var name = point.ReadSequence(distributionPoint);
                    if (name.HasData && name.PeekTag() == distributionPoint)
                    {
                        names.AddRange(CrlScope.ReadFullName(name));
                    }
                }
            }
        }
        catch (Exception exception) when (exception is AsnContentException or CryptographicException)
        {
            return [];
        }

        return names;
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
