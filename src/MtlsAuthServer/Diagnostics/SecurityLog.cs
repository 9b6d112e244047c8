namespace MtlsAuthServer.Diagnostics;

/// <summary>Structured security events. Event ids are stable and listed in docs/rejection-reasons.md.</summary>
public static partial class SecurityLog
{
    [LoggerMessage(EventId = 4000, EventName = "ClientAuthenticated", Level = LogLevel.Information,
        Message = "Client {ClientId} authenticated with certificate {Subject} (x5t#S256 {Thumbprint}) via {AuthMethod}")]
    public static partial void ClientAuthenticated(ILogger logger, string clientId, string subject, string thumbprint, string authMethod);

    [LoggerMessage(EventId = 4001, EventName = "ClientRejected", Level = LogLevel.Warning,
        Message = "Client authentication rejected: {Reason} for client {ClientId} at {Endpoint}; certificate {Subject} issued by {Issuer}, serial {SerialNumber}, x5t#S256 {Thumbprint}: {Detail}")]
    public static partial void ClientRejected(
        ILogger logger, string reason, string clientId, string endpoint, string subject, string issuer, string serialNumber, string thumbprint, string detail);

    [LoggerMessage(EventId = 4002, EventName = "RevocationSoftFail", Level = LogLevel.Warning,
        Message = "Revocation status unknown for {Subject} (serial {SerialNumber}); accepted because Revocation:SoftFail is on: {Detail}")]
    public static partial void RevocationSoftFail(ILogger logger, string subject, string serialNumber, string detail);

    [LoggerMessage(EventId = 4003, EventName = "RevocationCheckingDisabled", Level = LogLevel.Warning,
        Message = "Revocation:Mode is NoCheck: revoked client certificates will be accepted")]
    public static partial void RevocationCheckingDisabled(ILogger logger);

    [LoggerMessage(EventId = 4004, EventName = "RevocationSoftFailEnabled", Level = LogLevel.Warning,
        Message = "Revocation:SoftFail is on: a certificate whose revocation status can't be fetched will be accepted")]
    public static partial void RevocationSoftFailEnabled(ILogger logger);

    [LoggerMessage(EventId = 4013, EventName = "RevocationCoverageGap", Level = LogLevel.Warning,
        Message = "Revocation can't be checked below CA {Ca}: it {Problem}. Fix: {Fix}")]
    public static partial void RevocationCoverageGap(ILogger logger, string ca, string problem, string fix);

    [LoggerMessage(EventId = 4500, EventName = "OAuthRequestRefused", Level = LogLevel.Warning,
        Message = "OAuth request refused before client authentication at {Endpoint}: {Problem} from {Sender}: {Detail}")]
    public static partial void OAuthRequestRefused(ILogger logger, string endpoint, string problem, string sender, string detail);
}
