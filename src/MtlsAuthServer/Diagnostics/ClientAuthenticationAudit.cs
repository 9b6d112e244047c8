using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Clients;
using MtlsAuthServer.Monitoring;
using MtlsAuthServer.ServiceDefaults.Logging;

namespace MtlsAuthServer.Diagnostics;

/// <summary>
/// The one place a rejected or accepted client authentication is logged and counted. The client_id and the
/// certificate's names are the client's choice: each is cut to <see cref="LogValue.MaxLength"/> characters and
/// escaped (<see cref="LogValue.Clean"/>), the detail (which quotes them) to <see cref="LogValue.MaxDetailLength"/>.
/// </summary>
public sealed class ClientAuthenticationAudit(ILoggerFactory loggers, AuthenticationMetrics metrics, ClientCertificateSightings sightings)
{
    /// <summary>
    /// The logger name of the audit trail (accepted and rejected client authentications, soft-failed revocation), its own
    /// category so an operator can level or route it apart from everything else (docs/operations/logging.md).
    /// </summary>
    public const string Category = "MtlsAuthServer.Audit";

    private readonly ILogger _logger = loggers.CreateLogger(Category);

    public void Rejected(RejectionReason reason, string? clientId, string endpoint, X509Certificate2? certificate, string detail)
    {
        metrics.Rejected(endpoint, reason);
        if (!_logger.IsEnabled(LogLevel.Warning))
        {
            return;
        }

        var facts = CertificateFacts.Of(certificate);
        SecurityLog.ClientRejected(_logger, reason.Code(), LogValue.Clean(clientId), endpoint, LogValue.Clean(facts.Subject), LogValue.Clean(facts.Issuer),
            facts.SerialNumber, facts.Thumbprint, LogValue.Clean(detail, LogValue.MaxDetailLength));
    }

    public void Accepted(string clientId, string endpoint, X509Certificate2 certificate, string authMethod)
    {
        var thumbprint = CertificateFacts.Sha256Thumbprint(certificate); // once: the audit line and the sighting
        if (_logger.IsEnabled(LogLevel.Information))
        {
            SecurityLog.ClientAuthenticated(_logger, LogValue.Clean(clientId), LogValue.Clean(CertificateFacts.SubjectOf(certificate)), thumbprint, authMethod);
        }

        metrics.Succeeded(endpoint, authMethod);
        if (authMethod == ClientRegistration.TlsClientAuth)
        {
            // The server sees a tls_client_auth client's certificate only here: remember it to watch its expiry.
            sightings.Observe(clientId, certificate, thumbprint);
        }
    }

    public void SoftFailed(X509Certificate2 certificate, string detail) =>
        SecurityLog.RevocationSoftFail(_logger, LogValue.Clean(CertificateFacts.SubjectOf(certificate)), certificate.SerialNumber, LogValue.Clean(detail, LogValue.MaxDetailLength));
}
