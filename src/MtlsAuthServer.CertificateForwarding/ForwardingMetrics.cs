using System.Diagnostics.Metrics;
using MtlsAuthServer.CertificateForwarding.Parsing;

namespace MtlsAuthServer.CertificateForwarding;

/// <summary>Counter of forwarding decisions, on the <c>MtlsAuthServer.CertificateForwarding</c> meter.</summary>
internal sealed class ForwardingMetrics
{
    public const string MeterName = CertificateForwardingTelemetry.MeterName;
    public const string DecisionsName = CertificateForwardingTelemetry.DecisionsCounterName;

    private readonly Counter<long> _decisions;

    public ForwardingMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _decisions = meter.CreateCounter<long>(
            DecisionsName, unit: "{request}", description: "Requests by forwarded-client-certificate decision (outcome) and header problem.");
    }

    public void Record(ForwardingOutcome outcome, ForwardedHeaderProblem problem = ForwardedHeaderProblem.None) =>
        _decisions.Add(1, new("outcome", Code(outcome)), new("problem", problem.Code()));

    public static string Code(ForwardingOutcome outcome) => outcome switch
    {
        ForwardingOutcome.Forwarded => "forwarded",
        ForwardingOutcome.Absent => "absent",
        ForwardingOutcome.Invalid => "invalid",
        ForwardingOutcome.UntrustedSender => "untrusted_sender",
        ForwardingOutcome.DirectCertificateIgnored => "direct_certificate_ignored",
        _ => "direct",
    };
}
