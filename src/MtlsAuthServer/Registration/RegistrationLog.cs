namespace MtlsAuthServer.Registration;

/// <summary>Registration events (ids 4900–4949, docs/log-events.md), written under the audit category.</summary>
public static partial class RegistrationLog
{
    [LoggerMessage(EventId = 4900, EventName = "ClientRegistered", Level = LogLevel.Information,
        Message = "Client {ClientId} registered at run time via {Via} by {RegisteredBy}: {AuthMethod}, scope '{Scope}', {Certificates} certificate(s)")]
    public static partial void ClientRegistered(ILogger logger, string clientId, string via, string registeredBy, string authMethod, string scope, int certificates);

    [LoggerMessage(EventId = 4901, EventName = "ClientRegistrationUpdated", Level = LogLevel.Information,
        Message = "Client {ClientId} registration updated via {Via}: {AuthMethod}, scope '{Scope}', {Certificates} certificate(s)")]
    public static partial void ClientRegistrationUpdated(ILogger logger, string clientId, string via, string authMethod, string scope, int certificates);

    [LoggerMessage(EventId = 4902, EventName = "ClientRegistrationDisabled", Level = LogLevel.Information,
        Message = "Client {ClientId} registered at run time disabled via {Via}; {RevokedTokens} stored token(s) revoked")]
    public static partial void ClientRegistrationDisabled(ILogger logger, string clientId, string via, long revokedTokens);

    [LoggerMessage(EventId = 4903, EventName = "RegistrationRefused", Level = LogLevel.Warning,
        Message = "Registration request refused: {Reason} at {Operation} for client {ClientId} from {Sender}; certificate {Subject} (x5t#S256 {Thumbprint}): {Detail}")]
    public static partial void RegistrationRefused(
        ILogger logger, string reason, string operation, string clientId, string sender, string subject, string thumbprint, string detail);

    [LoggerMessage(EventId = 4904, EventName = "DynamicRegistrationEnabled", Level = LogLevel.Information,
        Message = "Dynamic client registration is enabled at {Endpoint}: {InitialAccessTokens} initial access token(s), registration CA {RegistrationCa}, both required: {RequireBoth}, scopes '{Scopes}'")]
    public static partial void DynamicRegistrationEnabled(ILogger logger, string endpoint, int initialAccessTokens, string registrationCa, bool requireBoth, string scopes);
}
