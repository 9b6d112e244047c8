using System.Numerics;
using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Tests.Revocation.Hostile;

/// <summary>
/// Every field of an X.509 CRL (RFC 5280 §5.1) that a spec may want wrong. The defaults make a plain, valid v2 CRL:
/// current, numbered, with an authority key identifier and nothing revoked.
/// </summary>
public sealed record CrlSpec
{
    /// <summary>The version INTEGER: 1 means v2 (RFC 5280 §5.1.2.1); null omits the field, which makes a v1 CRL.</summary>
    public int? Version { get; init; } = 1;

    public DateTimeOffset ThisUpdate { get; init; } = DateTimeOffset.UtcNow.AddMinutes(-1);

    /// <summary>RFC 5280 §5.1.2.5: conforming issuers MUST include it; null leaves it out.</summary>
    public DateTimeOffset? NextUpdate { get; init; } = DateTimeOffset.UtcNow.AddDays(1);

    /// <summary>The cRLNumber extension (RFC 5280 §5.2.3); null leaves it out.</summary>
    public BigInteger? CrlNumber { get; init; } = BigInteger.One;

    /// <summary>
    /// revokedCertificates (RFC 5280 §5.1.2.6): serials as the big-endian DER INTEGER contents, as
    /// <c>X509Certificate2.SerialNumberBytes</c> gives them. Empty omits the list, as §5.1.2.6 requires.
    /// </summary>
    public IReadOnlyList<(ReadOnlyMemory<byte> Serial, DateTimeOffset RevokedAt)> Revoked { get; init; } = [];

    /// <summary>When set, every entry carries a critical entry extension of this OID (RFC 5280 §5.3: one we can't know).</summary>
    public string? UnknownCriticalEntryExtensionOid { get; init; }

    /// <summary>The issuing distribution point's fullName URIs (RFC 5280 §5.2.5, distributionPoint [0] fullName [0]).</summary>
    public IReadOnlyList<string>? IdpFullNameUris { get; init; }

    public bool IdpOnlyUserCerts { get; init; }

    public bool IdpOnlyCaCerts { get; init; }

    /// <summary>indirectCRL: the CRL may list certificates of other issuers (RFC 5280 §5.2.5, §5.3.3).</summary>
    public bool IdpIndirectCrl { get; init; }

    /// <summary>onlySomeReasons with keyCompromise and cACompromise: a partial CRL (RFC 5280 §5.2.5).</summary>
    public bool IdpOnlySomeReasons { get; init; }

    /// <summary>A critical delta CRL indicator (RFC 5280 §5.2.4) naming the base CRL number before <see cref="CrlNumber"/>.</summary>
    public bool DeltaCrlIndicator { get; init; }

    /// <summary>The issuer Name; null means the signer's subject, as a direct CRL has it (RFC 5280 §5.1.2.3).</summary>
    public X500DistinguishedName? IssuerName { get; init; }

    /// <summary>When set, a critical CRL extension of this OID with an empty OCTET STRING value (RFC 5280 §5.2: MUST reject).</summary>
    public string? UnknownCriticalExtensionOid { get; init; }

    /// <summary>The authority key identifier extension (RFC 5280 §5.2.1), keyIdentifier from the signer's SKI.</summary>
    public bool IncludeAuthorityKeyIdentifier { get; init; } = true;

    /// <summary>Flips a bit of the signature value, which stays well-formed.</summary>
    public bool CorruptSignature { get; init; }

    /// <summary>Whether any issuing distribution point field is set, so that the extension is written.</summary>
    public bool HasIssuingDistributionPoint =>
        IdpFullNameUris is not null || IdpOnlyUserCerts || IdpOnlyCaCerts || IdpIndirectCrl || IdpOnlySomeReasons;

    /// <summary>A revoked entry for <paramref name="certificate"/>, revoked at <paramref name="at"/>.</summary>
    public static (ReadOnlyMemory<byte> Serial, DateTimeOffset RevokedAt) Entry(X509Certificate2 certificate, DateTimeOffset at) =>
        (certificate.SerialNumberBytes.ToArray(), at);
}
