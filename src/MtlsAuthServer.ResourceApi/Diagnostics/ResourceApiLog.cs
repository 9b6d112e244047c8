namespace MtlsAuthServer.ResourceApi.Diagnostics;

/// <summary>Structured events of the resource API. Event ids are stable (5000-5099).</summary>
public static partial class ResourceApiLog
{
    [LoggerMessage(EventId = 5000, EventName = "TokenAccepted", Level = LogLevel.Debug,
        Message = "Token accepted for client {ClientId} ({Mode} validation), certificate x5t#S256 {Thumbprint}")]
    public static partial void TokenAccepted(ILogger logger, string clientId, string mode, string thumbprint);

    [LoggerMessage(EventId = 5001, EventName = "TokenRejected", Level = LogLevel.Warning,
        Message = "Token rejected: {Reason} ({Mode} validation) for client {ClientId} at {Path}; certificate {Subject} issued by {Issuer}, serial {SerialNumber}, x5t#S256 {Thumbprint}: {Detail}")]
    public static partial void TokenRejected(
        ILogger logger, string reason, string mode, string clientId, string path, string subject, string issuer, string serialNumber, string thumbprint, string detail);

    [LoggerMessage(EventId = 5002, EventName = "TokenServerUnavailable", Level = LogLevel.Error,
        Message = "Token could not be validated: the token server did not answer ({Mode} validation) at {Path}: {Detail}")]
    public static partial void TokenServerUnavailable(ILogger logger, string mode, string path, string detail);

    [LoggerMessage(EventId = 5003, EventName = "CertificateBindingNotRequired", Level = LogLevel.Warning,
        Message = "TokenValidation:RequireCertificateBoundTokens is off: tokens without cnf are accepted as plain bearer tokens")]
    public static partial void CertificateBindingNotRequired(ILogger logger);

    [LoggerMessage(EventId = 5004, EventName = "CertificateBindingDisabled", Level = LogLevel.Critical,
        Message = "TokenValidation:EnforceCertificateBinding is off: a stolen token works from any certificate. Use this only to measure the check's cost")]
    public static partial void CertificateBindingDisabled(ILogger logger);

    [LoggerMessage(EventId = 5005, EventName = "TokenServerRefused", Level = LogLevel.Error,
        Message = "Token could not be validated: the token server refused this API's request ({Mode} validation) at {Path}: HTTP {Status}, {Error}: {Description}")]
    public static partial void TokenServerRefused(ILogger logger, string mode, string path, int status, string error, string description);
}
