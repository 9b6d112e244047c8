using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>
/// A parsed X.509 v2 CRL (RFC 5280 §5). .NET can build CRLs but not read them for a lookup, and its chain
/// engine caches them until nextUpdate, so revocation that must take effect within a minute reads them here.
/// </summary>
public sealed class CertificateRevocationList
{
    private const string IssuingDistributionPointOid = "2.5.29.28";
    private const string DeltaCrlIndicatorOid = "2.5.29.27";
    private const string CrlNumberOid = "2.5.29.20";
    private const string AuthorityKeyIdentifierOid = "2.5.29.35";

    private readonly HashSet<string> _revokedSerials;
    private readonly byte[] _signedBytes;
    private readonly byte[] _issuerDer;
    private readonly byte[] _signature;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _signatureVerdicts = new(StringComparer.Ordinal);

    private CertificateRevocationList(
        DistinguishedName issuer, byte[] issuerDer, DateTimeOffset thisUpdate, DateTimeOffset? nextUpdate, HashSet<string> revokedSerials,
        string signatureAlgorithm, byte[] signedBytes, byte[] signature, bool onlyUserCertificates, bool onlyCaCertificates)
    {
        Issuer = issuer;
        _issuerDer = issuerDer;
        ThisUpdate = thisUpdate;
        NextUpdate = nextUpdate;
        _revokedSerials = revokedSerials;
        SignatureAlgorithm = signatureAlgorithm;
        _signedBytes = signedBytes;
        _signature = signature;
        OnlyUserCertificates = onlyUserCertificates;
        OnlyCaCertificates = onlyCaCertificates;
    }

    public DistinguishedName Issuer { get; }

    public DateTimeOffset ThisUpdate { get; }

    public DateTimeOffset? NextUpdate { get; }

    public string SignatureAlgorithm { get; }

    public int RevokedCount => _revokedSerials.Count;

    public bool OnlyUserCertificates { get; }

    public bool OnlyCaCertificates { get; }

    /// <summary>Parses DER, or PEM ("X509 CRL"); throws <see cref="CryptographicException"/> on anything malformed or unsupported.</summary>
    public static CertificateRevocationList Parse(byte[] data)
    {
        if (data.Length > 0 && data[0] == (byte)'-')
        {
            var text = System.Text.Encoding.ASCII.GetString(data);
            var fields = PemEncoding.Find(text);
            data = Convert.FromBase64String(text[fields.Base64Data]);
        }

        try
        {
            return ParseDer(data);
        }
        catch (Exception exception) when (exception is AsnContentException or FormatException or ArgumentException)
        {
            throw new CryptographicException("The CRL is malformed.", exception);
        }
    }

    public bool IsRevoked(X509Certificate2 certificate) => _revokedSerials.Contains(SerialNumber.Canonical(certificate.SerialNumberBytes.Span));

    /// <summary>Whether this CRL may speak for <paramref name="certificate"/>: same issuer name, right scope, signed by <paramref name="issuer"/>.</summary>
    public bool IsAuthoritativeFor(X509Certificate2 certificate, X509Certificate2 issuer, out string reason)
    {
        // Byte-identical encodings (the usual case: the CA wrote both) are the same name without parsing; any other
        // encoding is compared the RFC 5280 way.
        if (!certificate.IssuerName.RawData.AsSpan().SequenceEqual(_issuerDer) && !Issuer.Equals(DistinguishedName.FromX500(certificate.IssuerName)))
        {
            reason = "the CRL issuer is not the certificate's issuer";
            return false;
        }

        var isCa = certificate.Extensions[Pki.Oids.BasicConstraints] is X509BasicConstraintsExtension { CertificateAuthority: true };
        if ((OnlyUserCertificates && isCa) || (OnlyCaCertificates && !isCa))
        {
            reason = "the CRL's issuing distribution point does not cover this certificate";
            return false;
        }

        // A CRL is immutable and is asked about the same issuer on every request: verify its signature once per issuer key.
        var signer = Convert.ToHexString(issuer.PublicKey.EncodedKeyValue.RawData);
        if (!_signatureVerdicts.GetOrAdd(signer, _ => SignatureVerifier.Verify(_signedBytes, SignatureAlgorithm, _signature, issuer)))
        {
            reason = "the CRL signature does not verify with the issuer's key";
            return false;
        }

        reason = string.Empty;
        return true;
    }

    private static CertificateRevocationList ParseDer(byte[] der)
    {
        var outer = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var signedBytes = outer.PeekEncodedValue().ToArray();
        var tbs = outer.ReadSequence();
        var signatureAlgorithm = SignatureVerifier.ReadAlgorithm(outer);
        var signature = outer.ReadBitString(out _);

        if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
        {
            if (!tbs.TryReadInt32(out var version) || version != 1)
            {
                throw new CryptographicException("Only v2 CRLs are supported.");
            }
        }

        var innerAlgorithm = SignatureVerifier.ReadAlgorithm(tbs);
        if (innerAlgorithm != signatureAlgorithm)
        {
            throw new CryptographicException("The CRL's inner and outer signature algorithms differ.");
        }

        var issuerDer = tbs.ReadEncodedValue().ToArray();
        var issuer = DistinguishedName.FromX500(new X500DistinguishedName(issuerDer));
        var thisUpdate = ReadTime(tbs);
        DateTimeOffset? nextUpdate = null;
        if (tbs.HasData && IsTime(tbs.PeekTag()))
        {
            nextUpdate = ReadTime(tbs);
        }

        var revoked = new HashSet<string>(StringComparer.Ordinal);
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var entries = tbs.ReadSequence();
            while (entries.HasData)
            {
                var entry = entries.ReadSequence();
                revoked.Add(SerialNumber.Canonical(entry.ReadIntegerBytes().Span));
                ReadTime(entry);
                if (entry.HasData)
                {
                    foreach (var (oid, critical, _) in DerExtensions.Read(entry))
                    {
                        if (critical)
                        {
                            // e.g. certificateIssuer on an indirect CRL: we can't honour it, so refuse the whole CRL.
                            throw new CryptographicException($"Unsupported critical CRL entry extension {oid}.");
                        }
                    }
                }
            }
        }

        bool onlyUser = false, onlyCa = false;
        if (tbs.HasData)
        {
            var explicitExtensions = tbs.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
            foreach (var (oid, critical, value) in DerExtensions.Read(explicitExtensions))
            {
                switch (oid)
                {
                    case IssuingDistributionPointOid:
                        (onlyUser, onlyCa) = ReadIssuingDistributionPoint(value);
                        break;
                    case DeltaCrlIndicatorOid:
                        throw new CryptographicException("Delta CRLs are not supported.");
                    case CrlNumberOid:
                    case AuthorityKeyIdentifierOid:
                        break;
                    default:
                        if (critical)
                        {
                            throw new CryptographicException($"Unsupported critical CRL extension {oid}.");
                        }

                        break;
                }
            }
        }

        return new CertificateRevocationList(issuer, issuerDer, thisUpdate, nextUpdate, revoked, signatureAlgorithm, signedBytes, signature, onlyUser, onlyCa);
    }

    private static (bool OnlyUser, bool OnlyCa) ReadIssuingDistributionPoint(byte[] value)
    {
        var idp = new AsnReader(value, AsnEncodingRules.DER).ReadSequence();
        bool onlyUser = false, onlyCa = false;
        while (idp.HasData)
        {
            var tag = idp.PeekTag();
            switch (tag.TagValue)
            {
                case 0:
                    idp.ReadEncodedValue();
                    break;
                case 1:
                    onlyUser = idp.ReadBoolean(tag);
                    break;
                case 2:
                    onlyCa = idp.ReadBoolean(tag);
                    break;
                default:
                    // onlySomeReasons, indirectCRL, onlyContainsAttributeCerts: partial CRLs we don't combine.
                    throw new CryptographicException("Unsupported issuing distribution point options.");
            }
        }

        return (onlyUser, onlyCa);
    }

    private static bool IsTime(Asn1Tag tag) =>
        tag.HasSameClassAndValue(Asn1Tag.UtcTime) || tag.HasSameClassAndValue(Asn1Tag.GeneralizedTime);

    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();
}
