namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>
/// When a verified CRL or OCSP answer may still be believed. One rule set for both kinds, so nothing is used past
/// its own promise: RFC 5280 §6.3.3 (a)(2) and RFC 6960 §3.2 items 5-6.
/// </summary>
internal static class RevocationFreshness
{
    /// <summary>Tolerated clock difference for a thisUpdate ahead of our clock.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Whether <paramref name="answer"/> speaks for <paramref name="now"/>: not from the future; not past its
    /// nextUpdate; without a nextUpdate, no older than <see cref="RevocationOptions.RefreshInterval"/> (the issuer
    /// promised nothing, so it is only as good as a fresh fetch); and, where a maximum age applies (OCSP), younger than it.
    /// </summary>
    public static bool IsCurrent<T>(T answer, DateTimeOffset now, RevocationOptions settings, TimeSpan? maxAge, out string why)
        where T : IRevocationAnswer<T>
    {
        if (answer.ThisUpdate > now + ClockSkew)
        {
            why = $"its thisUpdate {answer.ThisUpdate:O} is in the future";
            return false;
        }

        if (maxAge is { } limit && now - answer.ThisUpdate > limit)
        {
            why = $"its thisUpdate {answer.ThisUpdate:O} is older than Revocation:OcspMaxAge ({limit})";
            return false;
        }

        if (answer.NextUpdate is { } next)
        {
            why = now <= next ? string.Empty : $"it expired at its nextUpdate {next:O}";
            return now <= next;
        }

        if (now - answer.ThisUpdate > settings.RefreshInterval + ClockSkew)
        {
            why = $"it has no nextUpdate and its thisUpdate {answer.ThisUpdate:O} is older than Revocation:RefreshInterval ({settings.RefreshInterval}) plus {ClockSkew.TotalMinutes:0} minutes";
            return false;
        }

        why = string.Empty;
        return true;
    }
}
