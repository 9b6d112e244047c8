using System.Diagnostics.Metrics;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Diagnostics;
using MtlsAuthServer.ServiceDefaults.Logging;

namespace MtlsAuthServer.Registration;

/// <summary>
/// The one place a registration change or refusal is logged (category <see cref="ClientAuthenticationAudit.Category"/>,
/// events 4900–4903) and counted (<c>mtls_auth.client_registrations{operation, outcome, reason, via}</c>). Values a
/// caller chose (client_id, certificate names, detail) are cut and escaped.
/// </summary>
public sealed class RegistrationAudit
{
    public const string RegistrationsName = "mtls_auth.client_registrations";

    private readonly ILogger _logger;
    private readonly Counter<long> _registrations;

    public RegistrationAudit(ILoggerFactory loggers, IMeterFactory meters)
    {
        _logger = loggers.CreateLogger(ClientAuthenticationAudit.Category);
        _registrations = meters.Create(AuthenticationMetrics.MeterName).CreateCounter<long>(
            RegistrationsName, unit: "{request}", description: "Client registration requests and changes (RFC 7591/7592 and the clients command) by operation and outcome.");
    }

    public void Registered(ManagedClient client, string via)
    {
        Count("register", via, "success", "none");
        RegistrationLog.ClientRegistered(_logger, LogValue.Clean(client.ClientId), via, LogValue.Clean(client.Record.RegisteredBy), client.Metadata.TokenEndpointAuthMethod,
            LogValue.Clean(client.Metadata.Scope ?? string.Empty), client.Metadata.Jwks?.Keys.Count ?? 0);
    }

    public void Updated(ManagedClient client, string via, string operation = "update")
    {
        Count(operation, via, "success", "none");
        RegistrationLog.ClientRegistrationUpdated(_logger, LogValue.Clean(client.ClientId), via, client.Metadata.TokenEndpointAuthMethod,
            LogValue.Clean(client.Metadata.Scope ?? string.Empty), client.Metadata.Jwks?.Keys.Count ?? 0);
    }

    public void Disabled(ManagedClient client, string via, long revokedTokens)
    {
        Count("delete", via, "success", "none");
        RegistrationLog.ClientRegistrationDisabled(_logger, LogValue.Clean(client.ClientId), via, revokedTokens);
    }

    public void Read(string via) => Count("read", via, "success", "none");

    public void Refused(RegistrationRefusal refusal, string operation, string via, string? clientId, string? sender, X509Certificate2? certificate, string detail)
    {
        Count(operation, via, "failure", refusal.Code());
        if (!_logger.IsEnabled(LogLevel.Warning))
        {
            return;
        }

        var facts = CertificateFacts.Of(certificate);
        RegistrationLog.RegistrationRefused(_logger, refusal.Code(), operation, LogValue.Clean(clientId), sender ?? "-",
            LogValue.Clean(facts.Subject), facts.Thumbprint, LogValue.Clean(detail, LogValue.MaxDetailLength));
    }

    private void Count(string operation, string via, string outcome, string reason) =>
        _registrations.Add(1, new("operation", operation), new("outcome", outcome), new("reason", reason), new("via", via));
}
