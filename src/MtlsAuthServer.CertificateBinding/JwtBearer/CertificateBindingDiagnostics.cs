using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace MtlsAuthServer.CertificateBinding.JwtBearer;

/// <summary>Log event and counter of the JwtBearer add-on, one per rejected token, tagged with the reason code.</summary>
internal sealed partial class CertificateBindingDiagnostics
{
    private readonly Counter<long> _rejections;
    private readonly ILogger _logger;

    public CertificateBindingDiagnostics(IMeterFactory meters, ILoggerFactory loggers)
    {
        _rejections = meters.Create(CertificateBindingTelemetry.MeterName).CreateCounter<long>(
            CertificateBindingTelemetry.RejectionsCounterName, unit: "{token}", description: "Bearer tokens refused because they are not bound to the connection's client certificate.");
        _logger = loggers.CreateLogger(CertificateBindingTelemetry.LoggerCategory);
    }

    public void Rejected(BindingCheck check, string scheme, string? subject, string? certificateSubject)
    {
        var reason = check.Failure?.Code() ?? "none";
        _rejections.Add(1, new KeyValuePair<string, object?>("reason", reason), new KeyValuePair<string, object?>("scheme", scheme));
        LogRejected(_logger, reason, scheme, subject ?? "-", certificateSubject ?? "-", check.PresentedThumbprint ?? "-", check.Detail);
    }

    [LoggerMessage(EventId = 5100, EventName = "CertificateBindingRejected", Level = LogLevel.Warning,
        Message = "Bearer token rejected: {Reason} (scheme {Scheme}, token subject {TokenSubject}, certificate {Subject}, x5t#S256 {Thumbprint}): {Detail}")]
    private static partial void LogRejected(
        ILogger logger, string reason, string scheme, string tokenSubject, string subject, string thumbprint, string detail);
}
