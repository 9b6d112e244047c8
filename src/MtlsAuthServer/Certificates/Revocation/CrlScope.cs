using System.Formats.Asn1;
using System.Security.Cryptography;

namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>
/// What a CRL's issuing distribution point extension (RFC 5280 §5.2.5) limits it to. Partial CRLs this server
/// can't combine (onlySomeReasons, indirectCRL, onlyContainsAttributeCerts, names relative to the issuer) are refused
/// when read, so a CRL that parses is complete for the certificates it covers.
/// </summary>
public sealed record CrlScope(IReadOnlyList<byte[]> DistributionPointNames, bool OnlyUserCertificates, bool OnlyCaCertificates)
{
    public static CrlScope Everything { get; } = new([], false, false);

    /// <summary>IssuingDistributionPoint ::= SEQUENCE { distributionPoint [0], onlyContainsUserCerts [1], onlyContainsCACerts [2], onlySomeReasons [3], indirectCRL [4], onlyContainsAttributeCerts [5] }.</summary>
    public static CrlScope Read(byte[] value)
    {
        var document = new AsnReader(value, AsnEncodingRules.DER);
        var idp = document.ReadSequence();
        document.ThrowIfNotEmpty();
        IReadOnlyList<byte[]> names = [];
        bool onlyUser = false, onlyCa = false;
        while (idp.HasData)
        {
            var tag = idp.PeekTag();
            switch (tag.TagValue)
            {
                case 0 when tag.TagClass == TagClass.ContextSpecific:
                    names = ReadFullName(idp.ReadSequence(tag));
                    break;
                case 1 when tag.TagClass == TagClass.ContextSpecific:
                    onlyUser = idp.ReadBoolean(tag);
                    break;
                case 2 when tag.TagClass == TagClass.ContextSpecific:
                    onlyCa = idp.ReadBoolean(tag);
                    break;
                default:
                    throw new CryptographicException("Unsupported issuing distribution point options (partial reasons, indirect or attribute CRL).");
            }
        }

        if (onlyUser && onlyCa)
        {
            throw new CryptographicException("The issuing distribution point can't cover only user and only CA certificates at once.");
        }

        return new CrlScope(names, onlyUser, onlyCa);
    }

    /// <summary>DistributionPointName ::= CHOICE { fullName [0] GeneralNames, nameRelativeToCRLIssuer [1] }; the encoded GeneralNames.</summary>
    internal static List<byte[]> ReadFullName(AsnReader distributionPoint)
    {
        var fullNameTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
        if (distributionPoint.PeekTag() != fullNameTag)
        {
            throw new CryptographicException("Distribution point names relative to the CRL issuer are not supported.");
        }

        var generalNames = distributionPoint.ReadSequence(fullNameTag);
        distributionPoint.ThrowIfNotEmpty();
        var names = new List<byte[]>();
        while (generalNames.HasData)
        {
            names.Add(generalNames.ReadEncodedValue().ToArray());
        }

        return names;
    }
}
