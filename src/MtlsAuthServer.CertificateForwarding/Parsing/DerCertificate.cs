using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.CertificateForwarding.Parsing;

/// <summary>Loads exactly one DER certificate: a single ASN.1 SEQUENCE with nothing after it, then the X.509 parser.</summary>
internal static class DerCertificate
{
    public static X509Certificate2? TryLoad(ReadOnlySpan<byte> der)
    {
        try
        {
            var tag = AsnDecoder.ReadEncodedValue(der, AsnEncodingRules.DER, out _, out _, out var consumed);
            if (consumed != der.Length || !tag.HasSameClassAndValue(Asn1Tag.Sequence))
            {
                return null;
            }
        }
        catch (AsnContentException)
        {
            return null;
        }

        try
        {
            return X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>Loads each blob; on the first failure disposes what was loaded and returns null.</summary>
    public static List<X509Certificate2>? TryLoadAll(IReadOnlyList<byte[]> blobs)
    {
        var loaded = new List<X509Certificate2>(blobs.Count);
        foreach (var blob in blobs)
        {
            if (TryLoad(blob) is not { } certificate)
            {
                DisposeAll(loaded);
                return null;
            }

            loaded.Add(certificate);
        }

        return loaded;
    }

    public static void DisposeAll(IEnumerable<X509Certificate2> certificates)
    {
        foreach (var certificate in certificates)
        {
            certificate.Dispose();
        }
    }
}
