using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.PkiTool;

/// <summary>Prints the facts about a certificate an operator needs: name, SANs, serial, validity, key and RFC 8705 thumbprint.</summary>
internal static class CertificateSummary
{
    public static void Write(TextWriter output, X509Certificate2 certificate)
    {
        output.WriteLine($"  subject    {DistinguishedName.Format(certificate.SubjectName)}");
        if (certificate.Extensions[Oids.SubjectAlternativeName] is { } san)
        {
            output.WriteLine($"  SAN        {san.Format(multiLine: false)}");
        }

        output.WriteLine($"  serial     {SerialNumbers.Canonical(certificate.SerialNumberBytes.Span)}");
        output.WriteLine($"  valid      {certificate.NotBefore.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ} to {certificate.NotAfter.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ}");
        output.WriteLine($"  key        {(KeyAlgorithms.Of(certificate) is { } key ? key.Name() : certificate.PublicKey.Oid.FriendlyName)}");
        output.WriteLine($"  x5t#S256   {CertificateThumbprints.X5tS256(certificate)}");
    }

    /// <summary>Reads the first certificate of a PEM or DER file (a client .crt holds the leaf first, then its chain).</summary>
    public static X509Certificate2 ReadLeaf(string path, string option)
    {
        if (!File.Exists(path))
        {
            throw new PkiToolException($"{option}: '{path}' does not exist.");
        }

        try
        {
            var bundle = PemFiles.ReadPemOrDer(path);
            for (var i = 1; i < bundle.Count; i++)
            {
                bundle[i].Dispose();
            }

            return bundle[0];
        }
        catch (InvalidDataException exception)
        {
            throw new PkiToolException($"{option}: {exception.Message}");
        }
        catch (CryptographicException exception)
        {
            throw new PkiToolException($"{option}: '{path}' is not a PEM or DER certificate: {exception.Message}");
        }
    }
}
