using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Serialization;

namespace MtlsAuthServer.Pki;

/// <summary>
/// What a CA must remember between CRLs (kept in <c>&lt;ca&gt;.state.json</c> next to its key): the entries
/// every future CRL must list, the number of the last CRL (RFC 5280 §5.2.3: strictly increasing), and the
/// URLs stamped into the certificates it issues.
/// </summary>
public sealed record CaState
{
    public static CaState Empty { get; } = new();

    /// <summary>Number of the last published CRL; 0 before the first.</summary>
    public long CrlNumber { get; init; }

    /// <summary>thisUpdate of the last published CRL.</summary>
    public DateTimeOffset? ThisUpdate { get; init; }

    /// <summary>nextUpdate of the last published CRL: publish again (<c>mtls-pki crl</c>) before it passes.</summary>
    public DateTimeOffset? NextUpdate { get; init; }

    /// <summary>CRL distribution point URL stamped into certificates this CA issues.</summary>
    public string? CrlDistributionPoint { get; init; }

    /// <summary>OCSP responder URL (AIA) stamped into certificates this CA issues.</summary>
    public string? OcspUrl { get; init; }

    public IReadOnlyList<RevocationRecord> Revoked { get; init; } = [];

    /// <summary>The publication URLs, or null when the state names none.</summary>
    [JsonIgnore]
    public RevocationEndpoints? Endpoints => CrlDistributionPoint is null && OcspUrl is null
        ? null
        : new RevocationEndpoints(ToUri(CrlDistributionPoint), ToUri(OcspUrl));

    public RevocationRecord? FindRevoked(string canonicalSerial) =>
        Revoked.FirstOrDefault(entry => string.Equals(entry.SerialNumber, canonicalSerial, StringComparison.Ordinal));

    private static Uri? ToUri(string? value) => value is null ? null : new Uri(value, UriKind.Absolute);
}

/// <summary>One revoked certificate: canonical serial (upper-case hex, no leading zero octets), when, why, and whose (for people).</summary>
public sealed record RevocationRecord(string SerialNumber, DateTimeOffset RevokedAt, X509RevocationReason Reason, string? Subject = null);
