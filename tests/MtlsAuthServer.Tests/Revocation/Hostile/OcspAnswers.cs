using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Tests.Revocation.Hostile;

/// <summary>Honest answers, to be adjusted with <c>with { }</c>: current for an hour from <c>now</c>.</summary>
public static class OcspAnswers
{
    public static OcspAnswer Good(X509Certificate2 signer, DateTimeOffset now) => new()
    {
        Signer = signer,
        ThisUpdate = now,
        NextUpdate = now.AddHours(1),
    };

    /// <summary>Revoked at <paramref name="revokedAt"/> (default: an hour before <paramref name="now"/>).</summary>
    public static OcspAnswer Revoked(X509Certificate2 signer, DateTimeOffset now, DateTimeOffset? revokedAt = null) =>
        Good(signer, now) with { Status = OcspCertStatus.Revoked, RevokedAt = revokedAt ?? now.AddHours(-1) };

    public static OcspAnswer Unknown(X509Certificate2 signer, DateTimeOffset now) => Good(signer, now) with { Status = OcspCertStatus.Unknown };

    /// <summary>An unsigned error: 1 malformedRequest, 2 internalError, 3 tryLater, 5 sigRequired, 6 unauthorized (RFC 6960 §4.2.1).</summary>
    public static OcspAnswer Error(int responseStatus) => new() { ThisUpdate = DateTimeOffset.UtcNow, ResponseStatus = responseStatus };
}
