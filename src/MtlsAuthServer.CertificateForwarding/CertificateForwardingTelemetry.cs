namespace MtlsAuthServer.CertificateForwarding;

/// <summary>The names to export or route this library's telemetry by (OpenTelemetry <c>AddMeter</c>, log filters).</summary>
public static class CertificateForwardingTelemetry
{
    /// <summary>The meter of the forwarding decisions.</summary>
    public const string MeterName = "MtlsAuthServer.CertificateForwarding";

    /// <summary>Counter of requests by decision (<c>outcome</c>: forwarded, absent, invalid, untrusted_sender, direct_certificate_ignored, direct) and header <c>problem</c>.</summary>
    public const string DecisionsCounterName = "mtls_auth.forwarded_client_certificates";
}
