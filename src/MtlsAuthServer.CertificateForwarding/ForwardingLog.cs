using Microsoft.Extensions.Logging;

namespace MtlsAuthServer.CertificateForwarding;

/// <summary>
/// Security events of certificate forwarding. Event ids 4100–4104 are stable and listed in docs/rejection-reasons.md;
/// both the token server and the resource API log them under this library's categories.
/// </summary>
internal static partial class ForwardingLog
{
    [LoggerMessage(EventId = 4100, EventName = "UntrustedForwardedCertificate", Level = LogLevel.Warning,
        Message = "Forwarded client certificate header {HeaderName} from {Sender} ignored on {Method} {Path}: {Reason}; the request is treated as carrying no forwarded certificate")]
    public static partial void UntrustedForwardedCertificate(ILogger logger, string headerName, string method, string path, string sender, string reason);

    [LoggerMessage(EventId = 4101, EventName = "ForwardedCertificateInvalid", Level = LogLevel.Warning,
        Message = "Trusted proxy {Sender} forwarded an unusable client certificate ({Problem}) on {Method} {Path}: {Detail}; the request is treated as carrying no certificate")]
    public static partial void ForwardedCertificateInvalid(ILogger logger, string sender, string problem, string method, string path, string detail);

    [LoggerMessage(EventId = 4102, EventName = "DirectClientCertificateIgnored", Level = LogLevel.Warning,
        Message = "Client certificate {Subject} (x5t#S256 {Thumbprint}) presented directly by {Sender} on {Method} {Path} ignored: Proxy:Mode is Forwarded and {Reason}")]
    public static partial void DirectClientCertificateIgnored(ILogger logger, string subject, string thumbprint, string sender, string method, string path, string reason);

    [LoggerMessage(EventId = 4103, EventName = "ForwardedCertificateAccepted", Level = LogLevel.Debug,
        Message = "Trusted proxy {Sender} forwarded client certificate {Subject} (x5t#S256 {Thumbprint}) with {IntermediateCount} intermediate(s)")]
    public static partial void ForwardedCertificateAccepted(ILogger logger, string sender, string subject, string thumbprint, int intermediateCount);

    [LoggerMessage(EventId = 4104, EventName = "CertificateForwardingEnabled", Level = LogLevel.Information,
        Message = "Proxy:Mode is Forwarded: client certificates are read from {Headers} ({Format}) when sent by {TrustedProxies}; proxy certificate pinned: {ProxyCertificatePinned}; direct client certificates allowed: {AllowDirect}")]
    public static partial void CertificateForwardingEnabled(
        ILogger logger, string headers, ForwardedCertificateFormat format, string trustedProxies, bool proxyCertificatePinned, bool allowDirect);
}
