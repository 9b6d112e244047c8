using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Tests.Revocation.Hostile;

/// <summary>Writes the DER CRL a <see cref="CrlSpec"/> describes (RFC 5280 §5.1), signed with the signer's private key.</summary>
public static class TestCrlWriter
{
    private const string AuthorityKeyIdentifierOid = "2.5.29.35";
    private const string CrlNumberOid = "2.5.29.20";
    private const string DeltaCrlIndicatorOid = "2.5.29.27";
    private const string IssuingDistributionPointOid = "2.5.29.28";

    /// <summary>CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue BIT STRING }.</summary>
    public static byte[] Write(CrlSpec spec, X509Certificate2 signer)
    {
        var tbs = WriteTbsCertList(spec, signer);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(tbs);
            DerSignature.WriteSignatureFields(writer, tbs, signer, spec.CorruptSignature);
        }

        return writer.Encode();
    }

    /// <summary>The "X509 CRL" PEM armour (RFC 7468 §6).</summary>
    public static string ToPem(byte[] der) => PemEncoding.WriteString("X509 CRL", der) + "\n";

    private static byte[] WriteTbsCertList(CrlSpec spec, X509Certificate2 signer)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            if (spec.Version is { } version)
            {
                writer.WriteInteger(version);
            }

            // RFC 5280 §5.1.2.2: the same algorithm as the outer signatureAlgorithm.
            DerSignature.WriteAlgorithmIdentifier(writer, signer);
            writer.WriteEncodedValue((spec.IssuerName ?? signer.SubjectName).RawData);
            DerFields.WriteX509Time(writer, spec.ThisUpdate);
            if (spec.NextUpdate is { } nextUpdate)
            {
                DerFields.WriteX509Time(writer, nextUpdate);
            }

            WriteRevoked(writer, spec);
            WriteExtensions(writer, spec, signer);
        }

        return writer.Encode();
    }

    private static void WriteRevoked(AsnWriter writer, CrlSpec spec)
    {
        if (spec.Revoked.Count == 0)
        {
            return;
        }

        using (writer.PushSequence())
        {
            foreach (var (serial, revokedAt) in spec.Revoked)
            {
                using (writer.PushSequence())
                {
                    writer.WriteInteger(serial.Span);
                    DerFields.WriteX509Time(writer, revokedAt);
                    if (spec.UnknownCriticalEntryExtensionOid is { } oid)
                    {
                        using (writer.PushSequence())
                        {
                            DerFields.WriteExtension(writer, oid, critical: true, DerFields.EmptyOctetString());
                        }
                    }
                }
            }
        }
    }

    /// <summary>crlExtensions [0] EXPLICIT Extensions OPTIONAL; left out when there are none (RFC 5280 §5.1.2.7).</summary>
    private static void WriteExtensions(AsnWriter writer, CrlSpec spec, X509Certificate2 signer)
    {
        var extensions = new List<(string Oid, bool Critical, byte[] Value)>();
        if (spec.IncludeAuthorityKeyIdentifier)
        {
            extensions.Add((AuthorityKeyIdentifierOid, false, AuthorityKeyIdentifier(signer)));
        }

        if (spec.CrlNumber is { } number)
        {
            extensions.Add((CrlNumberOid, false, Integer(number)));
        }

        if (spec.HasIssuingDistributionPoint)
        {
            // RFC 5280 §5.2.5: "this extension is a critical CRL extension".
            extensions.Add((IssuingDistributionPointOid, true, IssuingDistributionPoint(spec)));
        }

        if (spec.DeltaCrlIndicator)
        {
            // RFC 5280 §5.2.4: critical, and its value is the BaseCRLNumber this delta builds on.
            extensions.Add((DeltaCrlIndicatorOid, true, Integer(BigInteger.Max(BigInteger.Zero, (spec.CrlNumber ?? BigInteger.One) - 1))));
        }

        if (spec.UnknownCriticalExtensionOid is { } unknown)
        {
            extensions.Add((unknown, true, DerFields.EmptyOctetString()));
        }

        if (extensions.Count == 0)
        {
            return;
        }

        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
        using (writer.PushSequence())
        {
            foreach (var (oid, critical, value) in extensions)
            {
                DerFields.WriteExtension(writer, oid, critical, value);
            }
        }
    }

    /// <summary>keyIdentifier [0] from the signer's subject key identifier (RFC 5280 §4.2.1.1), computed if it has none.</summary>
    private static byte[] AuthorityKeyIdentifier(X509Certificate2 signer)
    {
        var ski = signer.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()
            ?? new X509SubjectKeyIdentifierExtension(signer.PublicKey, critical: false);
        return X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(ski).RawData;
    }

    /// <summary>
    /// IssuingDistributionPoint ::= SEQUENCE { distributionPoint [0], onlyContainsUserCerts [1], onlyContainsCACerts [2],
    /// onlySomeReasons [3], indirectCRL [4], ... } with IMPLICIT tags (RFC 5280 §5.2.5, Appendix A.2); DER leaves
    /// FALSE booleans out.
    /// </summary>
    private static byte[] IssuingDistributionPoint(CrlSpec spec)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            if (spec.IdpFullNameUris is { } uris)
            {
                // DistributionPointName is a CHOICE, so [0] stays constructed around fullName [0] GeneralNames.
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                {
                    foreach (var uri in uris)
                    {
                        // GeneralName uniformResourceIdentifier [6] IA5String.
                        writer.WriteCharacterString(UniversalTagNumber.IA5String, uri, new Asn1Tag(TagClass.ContextSpecific, 6));
                    }
                }
            }

            WriteTrue(writer, spec.IdpOnlyUserCerts, 1);
            WriteTrue(writer, spec.IdpOnlyCaCerts, 2);
            if (spec.IdpOnlySomeReasons)
            {
                // ReasonFlags bits keyCompromise (1) and cACompromise (2): 0b011 then five unused zero bits.
                writer.WriteBitString([0x60], unusedBitCount: 5, new Asn1Tag(TagClass.ContextSpecific, 3));
            }

            WriteTrue(writer, spec.IdpIndirectCrl, 4);
        }

        return writer.Encode();
    }

    private static void WriteTrue(AsnWriter writer, bool value, int tag)
    {
        if (value)
        {
            writer.WriteBoolean(true, new Asn1Tag(TagClass.ContextSpecific, tag));
        }
    }

    private static byte[] Integer(BigInteger value)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteInteger(value);
        return writer.Encode();
    }
}
