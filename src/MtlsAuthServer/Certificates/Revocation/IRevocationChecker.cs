using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>Answers "is this certificate revoked by its issuer?" from CRLs and OCSP, bounded in time.</summary>
public interface IRevocationChecker
{
    ValueTask<RevocationCheckResult> CheckAsync(X509Certificate2 certificate, X509Certificate2 issuer, CancellationToken cancellationToken);
}
