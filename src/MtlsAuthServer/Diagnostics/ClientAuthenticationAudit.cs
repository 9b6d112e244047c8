using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Diagnostics;

/// <summary>The one place a rejected or accepted client authentication is logged and counted.</summary>
public sealed class ClientAuthenticationAudit(ILogger<ClientAuthenticationAudit> logger, AuthenticationMetrics metrics)
{
    public void Rejected(RejectionReason reason, string? clientId, string endpoint, X509Certificate2? certificate, string detail)
    {
        metrics.Rejected(endpoint, reason);
        if (!logger.IsEnabled(LogLevel.Warning))
        {
            return;
        }

        var facts = CertificateFacts.Of(certificate);
        SecurityLog.ClientRejected(logger, reason.Code(), clientId ?? "-", endpoint, facts.Subject, facts.Issuer, facts.SerialNumber, facts.Thumbprint, detail);
    }

    public void Accepted(string clientId, string endpoint, X509Certificate2 certificate, string authMethod)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            var thumbprint = CertificateFacts.Sha256Thumbprint(certificate);
            SecurityLog.ClientAuthenticated(logger, clientId, certificate.Subject, thumbprint, authMethod);
        }

        metrics.Succeeded(endpoint, authMethod);
    }

    public void SoftFailed(X509Certificate2 certificate, string detail) =>
        SecurityLog.RevocationSoftFail(logger, certificate.Subject, certificate.SerialNumber, detail);
}
