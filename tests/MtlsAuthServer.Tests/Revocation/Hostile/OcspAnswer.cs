using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Tests.Revocation.Hostile;

/// <summary>certStatus (RFC 6960 §4.2.1): good [0], revoked [1], unknown [2].</summary>
public enum OcspCertStatus
{
    Good,
    Revoked,
    Unknown,
}

/// <summary>
/// Every field of one OCSPResponse (RFC 6960 §4.2.1) that a spec may want wrong. Defaults make an honest answer
/// for the CertID asked, echoing the request's nonce, signed by <see cref="Signer"/> and named by its key hash.
/// </summary>
public sealed record OcspAnswer
{
    public OcspCertStatus Status { get; init; } = OcspCertStatus.Good;

    public required DateTimeOffset ThisUpdate { get; init; }

    /// <summary>Null leaves nextUpdate out: "newer information is always available" (RFC 6960 §4.2.2.1).</summary>
    public DateTimeOffset? NextUpdate { get; init; }

    /// <summary>revocationTime for <see cref="OcspCertStatus.Revoked"/>; null means <see cref="ThisUpdate"/>.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>revocationReason [0] EXPLICIT CRLReason (RFC 5280 §5.3.1); null leaves it out.</summary>
    public X509RevocationReason? RevocationReason { get; init; }

    /// <summary>producedAt; null means <see cref="ThisUpdate"/>.</summary>
    public DateTimeOffset? ProducedAt { get; init; }

    /// <summary>Whether responseExtensions carries the nonce (the request's, or <see cref="NonceOverride"/>).</summary>
    public bool EchoNonce { get; init; } = true;

    /// <summary>The nonce extnValue contents to send instead of the request's (a replay or a forgery).</summary>
    public ReadOnlyMemory<byte>? NonceOverride { get; init; }

    /// <summary>Signs the BasicOCSPResponse with its private key; may be null only for an error <see cref="ResponseStatus"/>.</summary>
    public X509Certificate2? Signer { get; init; }

    /// <summary>The certs [0] field of BasicOCSPResponse (RFC 6960 §4.2.1); empty leaves it out.</summary>
    public IReadOnlyList<X509Certificate2> IncludedCertificates { get; init; } = [];

    /// <summary>OCSPResponseStatus (RFC 6960 §4.2.1); anything but 0 (successful) is sent unsigned, without responseBytes.</summary>
    public int ResponseStatus { get; init; }

    /// <summary>ResponderID byName [1] (the signer's subject) instead of byKey [2] (SHA-1 of its public key, RFC 6960 §4.2.2.3).</summary>
    public bool ResponderIdByName { get; init; }

    /// <summary>When set, the ResponderID names this certificate instead of the signer (a label that lies, RFC 6960 §4.2.2.3).</summary>
    public X509Certificate2? ResponderIdNames { get; init; }

    /// <summary>False answers for another serial number (the asked one with its last bit flipped) under the same issuer hashes.</summary>
    public bool CertIdFromRequest { get; init; } = true;

    /// <summary>Cuts the encoded response in half, so the DER's lengths claim more than there is.</summary>
    public bool Truncate { get; init; }

    /// <summary>Flips a bit of the signature value, which stays well-formed.</summary>
    public bool CorruptSignature { get; init; }

    /// <summary>When set, responseExtensions also carries a critical extension of this OID (RFC 5280 §4.2: must be refused).</summary>
    public string? UnknownCriticalExtensionOid { get; init; }
}
