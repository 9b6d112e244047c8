namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>A verified CRL or OCSP answer, as the freshness and rollback rules of <see cref="RevocationDataCache{T}"/> see it.</summary>
public interface IRevocationAnswer<in TSelf>
{
    DateTimeOffset ThisUpdate { get; }

    /// <summary>Absent: the issuer promises nothing about when newer information appears.</summary>
    DateTimeOffset? NextUpdate { get; }

    /// <summary>Answers with the same key speak about the same thing, so a newer one replaces an older one, never the reverse.</summary>
    string ScopeKey { get; }

    /// <summary>Whether this answer was produced before <paramref name="held"/> (same <see cref="ScopeKey"/>).</summary>
    bool IsOlderThan(TSelf held);

    /// <summary>A short description for logs (number, dates).</summary>
    string Describe();
}
