using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Pki;

/// <summary>A CRL that was signed and written: where, its number and its validity window.</summary>
public sealed record CrlPublication(string Path, long CrlNumber, DateTimeOffset ThisUpdate, DateTimeOffset NextUpdate, int RevokedCount);

/// <summary>The result of a revocation: the entry on record and, unless it was already revoked, the CRL that now lists it.</summary>
public sealed record RevocationOutcome(RevocationRecord Entry, bool WasAlreadyRevoked, CrlPublication? Publication);

/// <summary>
/// Revokes certificates of a CA and publishes its CRL. Each run holds the CA's lock, re-reads its state,
/// signs a CRL with the next CRL number (RFC 5280 §5.2.3) and nextUpdate (§5.1.2.5), saves the state and
/// then replaces the CRL file atomically, so a server fetching it never sees half a file.
/// </summary>
public static class CrlPublisher
{
    /// <summary>Re-signs the CA's CRL with no change in content: a new number, thisUpdate and nextUpdate.</summary>
    public static CrlPublication Publish(CaFiles ca, DateTimeOffset now, TimeSpan validity)
    {
        using var _ = CaStateFile.Lock(ca);
        return PublishLocked(ca, ca.ReadState(), now, validity);
    }

    /// <summary>
    /// Re-signs the CA's CRL only when its nextUpdate is less than <paramref name="renewBefore"/> away (or unknown), so a
    /// scheduled run (cron, systemd timer, the development server) keeps it current without churning CRL numbers.
    /// Null when it was not due.
    /// </summary>
    public static CrlPublication? PublishIfDue(CaFiles ca, DateTimeOffset now, TimeSpan renewBefore, TimeSpan validity)
    {
        if (renewBefore >= validity)
        {
            throw new ArgumentOutOfRangeException(nameof(renewBefore), renewBefore, "Renewing this close to nextUpdate would re-sign on every run: keep it below the validity.");
        }

        using var _ = CaStateFile.Lock(ca);
        var state = ca.ReadState();
        return state.NextUpdate is { } nextUpdate && nextUpdate - now > renewBefore ? null : PublishLocked(ca, state, now, validity);
    }

    /// <summary>Adds <paramref name="entry"/> to the CA's state and publishes the CRL; revoking twice changes nothing.</summary>
    public static RevocationOutcome Revoke(CaFiles ca, RevocationRecord entry, DateTimeOffset now, TimeSpan validity)
    {
        if (entry.Reason is X509RevocationReason.RemoveFromCrl or X509RevocationReason.CertificateHold)
        {
            // Holds are undone by removeFromCRL in a delta CRL; this PKI publishes full CRLs and revokes for good.
            throw new ArgumentException($"Revocation reason {entry.Reason} is not supported.", nameof(entry));
        }

        using var _ = CaStateFile.Lock(ca);
        var state = ca.ReadState();
        if (state.FindRevoked(entry.SerialNumber) is { } existing)
        {
            return new RevocationOutcome(existing, WasAlreadyRevoked: true, Publication: null);
        }

        var publication = PublishLocked(ca, state with { Revoked = [.. state.Revoked, entry] }, now, validity);
        return new RevocationOutcome(entry, WasAlreadyRevoked: false, publication);
    }

    private static CrlPublication PublishLocked(CaFiles ca, CaState state, DateTimeOffset now, TimeSpan validity)
    {
        if (validity <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(validity), validity, "The CRL's validity (nextUpdate - thisUpdate) must be positive.");
        }

        using var authority = CertificateAuthority.Load(ca.Certificate, ca.Key);
        var number = state.CrlNumber + 1;
        var nextUpdate = now + validity;
        var crl = authority.CreateCrl(
            state.Revoked.Select(entry => new RevokedCertificate(SerialNumbers.ToBigEndian(entry.SerialNumber), entry.RevokedAt, entry.Reason)),
            number, now, nextUpdate);

        // State first: if writing the CRL fails, nothing is lost and the next run publishes with a higher number;
        // the other order could publish two different CRLs under one number.
        CaStateFile.Save(ca, state with { CrlNumber = number, ThisUpdate = now, NextUpdate = nextUpdate });
        PemFiles.WritePublic(ca.Crl, crl);
        return new CrlPublication(ca.Crl, number, now, nextUpdate, state.Revoked.Count);
    }
}
