namespace MtlsAuthServer.Certificates.Revocation;

public enum RevocationStatus
{
    Good,
    Revoked,
    Unknown,
}

/// <summary>The revocation verdict for one certificate, with where it came from and why (for logs).</summary>
public sealed record RevocationCheckResult(RevocationStatus Status, string Source, string Detail)
{
    public static RevocationCheckResult NotChecked { get; } = new(RevocationStatus.Good, "none", "revocation checking is off");

    public static RevocationCheckResult Unknown(string source, string detail) => new(RevocationStatus.Unknown, source, detail);
}
