using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Pki;

/// <summary>One CRL entry.</summary>
public sealed record RevokedCertificate(byte[] SerialNumber, DateTimeOffset RevokedAt, X509RevocationReason Reason = X509RevocationReason.KeyCompromise)
{
    public static RevokedCertificate For(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, DateTimeOffset revokedAt) =>
        new(certificate.SerialNumberBytes.ToArray(), revokedAt);
}
