using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.ServiceDefaults.Logging;

namespace MtlsAuthServer.Diagnostics;

/// <summary>
/// The one place a rejected or accepted client authentication is logged and counted. The client_id and the
/// certificate's names are the client's choice: each is cut to <see cref="LogValue.MaxLength"/> characters and
/// escaped (<see cref="LogValue.Clean"/>), the detail (which quotes them) to <see cref="LogValue.MaxDetailLength"/>.
/// </summary>
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
        SecurityLog.ClientRejected(logger, reason.Code(), LogValue.Clean(clientId), endpoint, LogValue.Clean(facts.Subject), LogValue.Clean(facts.Issuer),
            facts.SerialNumber, facts.Thumbprint, LogValue.Clean(detail, LogValue.MaxDetailLength));
    }

    public void Accepted(string clientId, string endpoint, X509Certificate2 certificate, string authMethod)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            var thumbprint = CertificateFacts.Sha256Thumbprint(certificate);
            SecurityLog.ClientAuthenticated(logger, LogValue.Clean(clientId), LogValue.Clean(CertificateFacts.SubjectOf(certificate)), thumbprint, authMethod);
        }

        metrics.Succeeded(endpoint, authMethod);
    }

    public void SoftFailed(X509Certificate2 certificate, string detail) =>
        SecurityLog.RevocationSoftFail(logger, LogValue.Clean(CertificateFacts.SubjectOf(certificate)), certificate.SerialNumber, LogValue.Clean(detail, LogValue.MaxDetailLength));
}
