using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using MtlsAuthServer.CertificateBinding;
using MtlsAuthServer.ResourceApi.Tokens;

namespace MtlsAuthServer.ResourceApi.Diagnostics;

/// <summary>The one place an accepted or refused token is logged and counted.</summary>
public sealed class TokenValidationAudit(ILogger<TokenValidationAudit> logger, ResourceApiMetrics metrics, IOptions<TokenValidationOptions> options)
{
    private string Mode => options.Value.Mode == TokenValidationMode.Introspection ? "introspection" : "local";

    public void Accepted(string clientId, X509Certificate2? certificate)
    {
        metrics.Accepted(Mode);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            ResourceApiLog.TokenAccepted(logger, clientId, Mode, certificate is null ? "-" : CertificateThumbprint.Sha256(certificate));
        }
    }

    public void Rejected(TokenRejectionReason reason, string? clientId, string path, X509Certificate2? certificate, string detail, TokenServerRefusal? refusal = null)
    {
        metrics.Rejected(reason, Mode);
        if (reason == TokenRejectionReason.TokenServerUnavailable)
        {
            ResourceApiLog.TokenServerUnavailable(logger, Mode, path, detail);
            return;
        }

        if (reason == TokenRejectionReason.TokenServerRefused)
        {
            // Error answers of the token server are the API's configuration problem, not the caller's (not a 5001).
            ResourceApiLog.TokenServerRefused(logger, Mode, path, refusal?.Status ?? 0, refusal?.Error ?? "-", refusal?.Description ?? "-");
            return;
        }

        if (logger.IsEnabled(LogLevel.Warning))
        {
            ResourceApiLog.TokenRejected(logger, reason.Code(), Mode, clientId ?? "-", path,
                certificate?.Subject ?? "-", certificate?.Issuer ?? "-", certificate?.SerialNumber ?? "-",
                certificate is null ? "-" : CertificateThumbprint.Sha256(certificate), detail);
        }
    }
}
