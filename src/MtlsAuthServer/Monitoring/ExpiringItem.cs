namespace MtlsAuthServer.Monitoring;

/// <summary>What kind of material an <see cref="ExpiringItem"/> is; the code is the <c>kind</c> metric label.</summary>
public enum ExpiringKind
{
    ServerCertificate,
    TrustAnchor,
    Intermediate,
    ClientCertificate,
    Crl,
}

/// <summary>
/// One piece of material the server depends on and the instant it stops being usable: a certificate's notAfter,
/// or a CRL's nextUpdate. <paramref name="Id"/> is the certificate's <c>x5t#S256</c> or the CRL's URL/file;
/// <paramref name="LastSeen"/> is set for a <c>tls_client_auth</c> client's certificate (known from its authentications).
/// </summary>
public sealed record ExpiringItem(ExpiringKind Kind, string Subject, string Id, string? ClientId, DateTimeOffset ExpiresAt, DateTimeOffset? LastSeen = null)
{
    public string KindCode => Kind switch
    {
        ExpiringKind.ServerCertificate => "server_certificate",
        ExpiringKind.TrustAnchor => "trust_anchor",
        ExpiringKind.Intermediate => "intermediate",
        ExpiringKind.ClientCertificate => "client_certificate",
        ExpiringKind.Crl => "crl",
        _ => "unknown",
    };
}
