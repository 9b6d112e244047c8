using System.Formats.Asn1;

namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>Reads an X.509 <c>Extensions</c> sequence (RFC 5280 §4.1), as CRLs and OCSP messages (RFC 6960 §4) carry them.</summary>
internal static class DerExtensions
{
    /// <summary>Reads <c>SEQUENCE OF Extension</c>: each extnID, critical (DEFAULT FALSE) and the extnValue octets.</summary>
    public static List<(string Oid, bool Critical, byte[] Value)> Read(AsnReader reader)
    {
        var extensions = reader.ReadSequence();
        var list = new List<(string, bool, byte[])>();
        while (extensions.HasData)
        {
            var extension = extensions.ReadSequence();
            var oid = extension.ReadObjectIdentifier();
            var critical = extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean) && extension.ReadBoolean();
            list.Add((oid, critical, extension.ReadOctetString()));
            extension.ThrowIfNotEmpty();
        }

        return list;
    }
}
