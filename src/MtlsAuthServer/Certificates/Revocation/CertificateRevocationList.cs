using System.Collections.Concurrent;
using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>
/// A parsed X.509 v2 CRL (RFC 5280 §5). .NET can build CRLs but not read them for a lookup, and its chain
/// engine caches them until nextUpdate, so revocation that must take effect within a minute reads them here.
/// Parsing checks only the shape; <see cref="Authenticate"/> says whether an issuer signed it and
/// <see cref="Covers"/> whether its scope includes a certificate (RFC 5280 §6.3.3).
/// </summary>
public sealed class CertificateRevocationList : IRevocationAnswer<CertificateRevocationList>
{
    private const string IssuingDistributionPointOid = "2.5.29.28";
    private const string DeltaCrlIndicatorOid = "2.5.29.27";
    private const string CrlNumberOid = "2.5.29.20";
    private const string AuthorityKeyIdentifierOid = "2.5.29.35";

    private readonly HashSet<string> _revokedSerials;
    private readonly byte[] _signedBytes;
    private readonly byte[] _issuerDer;
    private readonly byte[] _signature;
    private readonly ConcurrentDictionary<string, string> _authentications = new(StringComparer.Ordinal);

    // The chain cache hands out the same issuer instances on every request: their verdict is found without re-encoding
    // the key and name (Offline mode authenticates on every lookup). Held weakly, so it never keeps a certificate alive.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<X509Certificate2, string> _byInstance = [];

    private CertificateRevocationList(Fields fields)
    {
        Issuer = DistinguishedName.FromX500(new X500DistinguishedName(fields.IssuerDer));
        _issuerDer = fields.IssuerDer;
        ThisUpdate = fields.ThisUpdate;
        NextUpdate = fields.NextUpdate;
        CrlNumber = fields.CrlNumber;
        _revokedSerials = fields.Revoked;
        SignatureAlgorithm = fields.SignatureAlgorithm;
        _signedBytes = fields.SignedBytes;
        _signature = fields.Signature;
        Scope = fields.Scope;
        ScopeKey = Convert.ToHexString(fields.IssuerDer) + "/" + Convert.ToHexString(fields.IssuingDistributionPointDer ?? []);
    }

    public DistinguishedName Issuer { get; }

    public DateTimeOffset ThisUpdate { get; }

    public DateTimeOffset? NextUpdate { get; }

    /// <summary>The cRLNumber extension (RFC 5280 §5.2.3), when present.</summary>
    public BigInteger? CrlNumber { get; }

    public string SignatureAlgorithm { get; }

    public int RevokedCount => _revokedSerials.Count;

    /// <summary>What the issuing distribution point extension limits the CRL to (nothing when it has none).</summary>
    public CrlScope Scope { get; }

    /// <summary>Issuer and scope: CRL numbers increase within one such pair (RFC 5280 §5.2.3), so rollback is judged per key.</summary>
    public string ScopeKey { get; }

    public string Describe() => CrlNumber is { } number ? $"CRL number {number}, thisUpdate {ThisUpdate:O}" : $"CRL of {ThisUpdate:O}";

    /// <summary>Parses DER, or PEM ("X509 CRL"); throws <see cref="CryptographicException"/> on anything malformed or unsupported.</summary>
    public static CertificateRevocationList Parse(ReadOnlySpan<byte> data)
    {
        try
        {
            return new CertificateRevocationList(ParseDer(data.Length > 0 && data[0] == (byte)'-' ? FromPem(data) : data.ToArray()));
        }
        catch (CryptographicException)
        {
            throw;
        }
        catch (Exception exception)
        {
            // Whatever the bytes are (truncated, garbage, PEM that isn't), the caller gets one exception type to handle.
            throw new CryptographicException($"The CRL is malformed ({exception.GetType().Name}).", exception);
        }
    }

    public bool IsRevoked(X509Certificate2 certificate) => _revokedSerials.Contains(SerialNumbers.Canonical(certificate.SerialNumberBytes.Span));

    /// <summary>
    /// Whether <paramref name="issuer"/> issued this CRL: its name (RFC 5280 §6.3.3 (b)(1), direct CRLs only), its key
    /// usage allows cRLSign (§4.2.1.3, §6.3.3 (f)) and its key verifies the signature (§6.3.3 (g)). The verdict is kept
    /// per issuer key, since a CRL is immutable and is asked about the same issuer on every request.
    /// </summary>
    public bool Authenticate(X509Certificate2 issuer, out string reason)
    {
        reason = _byInstance.GetValue(issuer, certificate =>
        {
            var signer = Convert.ToHexString(certificate.PublicKey.EncodedKeyValue.RawData) + Convert.ToHexString(certificate.SubjectName.RawData);
            return _authentications.GetOrAdd(signer, _ => AuthenticateNow(certificate));
        });
        return reason.Length == 0;
    }

    /// <summary>
    /// Whether this CRL may speak for <paramref name="certificate"/>: issued under the certificate's issuer name, and
    /// its issuing distribution point covers the certificate (RFC 5280 §6.3.3 (b)(2)). The signature is
    /// <see cref="Authenticate"/>'s job.
    /// </summary>
    public bool Covers(X509Certificate2 certificate, out string reason)
    {
        // Byte-identical encodings (the usual case: the CA wrote both) are the same name without parsing; any other
        // encoding is compared the RFC 5280 way.
        if (!certificate.IssuerName.RawData.AsSpan().SequenceEqual(_issuerDer) && !Issuer.Equals(DistinguishedName.FromX500(certificate.IssuerName)))
        {
            reason = "the CRL issuer is not the certificate's issuer";
            return false;
        }

        var isCa = certificate.Extensions[Pki.Oids.BasicConstraints] is X509BasicConstraintsExtension { CertificateAuthority: true };
        if ((Scope.OnlyUserCertificates && isCa) || (Scope.OnlyCaCertificates && !isCa))
        {
            reason = "the CRL's issuing distribution point excludes this kind of certificate";
            return false;
        }

        if (Scope.DistributionPointNames.Count > 0)
        {
            // §6.3.3 (b)(2)(i): a CRL for one partition says nothing about certificates of another. One of the names in
            // the CRL's IDP must be one of the certificate's distribution point names.
            var named = CertificateLocations.DistributionPointNames(certificate);
            if (!Scope.DistributionPointNames.Any(name => named.Any(candidate => candidate.AsSpan().SequenceEqual(name))))
            {
                reason = "the CRL's issuing distribution point is another partition than the certificate's distribution point";
                return false;
            }
        }

        reason = string.Empty;
        return true;
    }

    /// <summary>Older than <paramref name="held"/> of the same scope: a lower CRL number, or an earlier thisUpdate.</summary>
    public bool IsOlderThan(CertificateRevocationList held) =>
        CrlNumber is { } number && held.CrlNumber is { } heldNumber
            ? number < heldNumber || (number == heldNumber && ThisUpdate < held.ThisUpdate)
            : ThisUpdate < held.ThisUpdate;

    private string AuthenticateNow(X509Certificate2 issuer)
    {
        if (!issuer.SubjectName.RawData.AsSpan().SequenceEqual(_issuerDer) && !Issuer.Equals(DistinguishedName.FromX500(issuer.SubjectName)))
        {
            return "the CRL issuer is not the certificate's issuer";
        }

        if (issuer.Extensions[Pki.Oids.KeyUsage] is X509KeyUsageExtension usage && !usage.KeyUsages.HasFlag(X509KeyUsageFlags.CrlSign))
        {
            return "the issuer's key usage does not allow cRLSign";
        }

        return SignatureVerifier.Verify(_signedBytes, SignatureAlgorithm, _signature, issuer)
            ? string.Empty
            : "the CRL signature does not verify with the issuer's key";
    }

    private static byte[] FromPem(ReadOnlySpan<byte> data)
    {
        var text = System.Text.Encoding.ASCII.GetString(data);
        var fields = PemEncoding.Find(text);
        if (!text.AsSpan()[fields.Label].SequenceEqual("X509 CRL"))
        {
            throw new CryptographicException($"The PEM block is '{text[fields.Label]}', not 'X509 CRL'.");
        }

        return Convert.FromBase64String(text[fields.Base64Data]);
    }

    private static Fields ParseDer(byte[] der)
    {
        var document = new AsnReader(der, AsnEncodingRules.DER);
        var outer = document.ReadSequence();
        document.ThrowIfNotEmpty();
        var signedBytes = outer.PeekEncodedValue().ToArray();
        var tbs = outer.ReadSequence();
        var signatureAlgorithm = SignatureVerifier.ReadAlgorithm(outer);
        var signature = outer.ReadBitString(out _);
        outer.ThrowIfNotEmpty();

        // RFC 5280 §5.1.2.1: v1 CRLs carry no extensions, so nothing in them bounds their scope or orders them (no CRL
        // number). We refuse them rather than guess.
        if (!tbs.HasData || !tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
        {
            throw new CryptographicException("v1 CRLs are not accepted (RFC 5280 §5.1.2.1); the CA must publish v2 CRLs.");
        }

        if (!tbs.TryReadInt32(out var version) || version != 1)
        {
            throw new CryptographicException("Only v2 CRLs are supported.");
        }

        var innerAlgorithm = SignatureVerifier.ReadAlgorithm(tbs);
        if (innerAlgorithm != signatureAlgorithm)
        {
            throw new CryptographicException("The CRL's inner and outer signature algorithms differ.");
        }

        var issuerDer = tbs.ReadEncodedValue().ToArray();
        var thisUpdate = ReadTime(tbs);
        DateTimeOffset? nextUpdate = null;
        if (tbs.HasData && IsTime(tbs.PeekTag()))
        {
            nextUpdate = ReadTime(tbs);
            if (nextUpdate < thisUpdate)
            {
                throw new CryptographicException("The CRL's nextUpdate precedes its thisUpdate.");
            }
        }

        var revoked = ReadEntries(tbs);
        var scope = CrlScope.Everything;
        byte[]? idpDer = null;
        BigInteger? crlNumber = null;
        if (tbs.HasData)
        {
            var explicitExtensions = tbs.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
            foreach (var (oid, critical, value) in DerExtensions.Read(explicitExtensions))
            {
                switch (oid)
                {
                    case IssuingDistributionPointOid:
                        scope = CrlScope.Read(value);
                        idpDer = value;
                        break;
                    case DeltaCrlIndicatorOid:
                        throw new CryptographicException("Delta CRLs are not supported.");
                    case CrlNumberOid:
                        crlNumber = ReadCrlNumber(value);
                        break;
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

            explicitExtensions.ThrowIfNotEmpty();
        }

        tbs.ThrowIfNotEmpty();
        return new Fields(issuerDer, thisUpdate, nextUpdate, crlNumber, revoked, signatureAlgorithm, signedBytes, signature, scope, idpDer);
    }

    /// <summary>RFC 5280 §5.2.3: a non-negative INTEGER of at most 20 octets; anything else can't be ordered safely.</summary>
    private static BigInteger ReadCrlNumber(byte[] value)
    {
        var reader = new AsnReader(value, AsnEncodingRules.DER);
        var octets = reader.ReadIntegerBytes();
        reader.ThrowIfNotEmpty();
        var number = new BigInteger(octets.Span, isUnsigned: false, isBigEndian: true);
        return number.Sign < 0 || octets.Length > 21 || (octets.Length == 21 && octets.Span[0] != 0)
            ? throw new CryptographicException("The CRL number is negative or longer than 20 octets.")
            : number;
    }

    private static HashSet<string> ReadEntries(AsnReader tbs)
    {
        var revoked = new HashSet<string>(StringComparer.Ordinal);
        if (!tbs.HasData || !tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            return revoked;
        }

        var entries = tbs.ReadSequence();
        while (entries.HasData)
        {
            var entry = entries.ReadSequence();
            revoked.Add(SerialNumbers.Canonical(entry.ReadIntegerBytes().Span));
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

            entry.ThrowIfNotEmpty();
        }

        return revoked;
    }

    private static bool IsTime(Asn1Tag tag) =>
        tag.HasSameClassAndValue(Asn1Tag.UtcTime) || tag.HasSameClassAndValue(Asn1Tag.GeneralizedTime);

    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();

    private sealed record Fields(
        byte[] IssuerDer, DateTimeOffset ThisUpdate, DateTimeOffset? NextUpdate, BigInteger? CrlNumber, HashSet<string> Revoked,
        string SignatureAlgorithm, byte[] SignedBytes, byte[] Signature, CrlScope Scope, byte[]? IssuingDistributionPointDer);
}
