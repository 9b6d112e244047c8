namespace MtlsAuthServer.CertificateBinding;

/// <summary>The names to export or route this library's telemetry by (OpenTelemetry <c>AddMeter</c>, log filters).</summary>
public static class CertificateBindingTelemetry
{
    /// <summary>The meter of the JwtBearer add-on.</summary>
    public const string MeterName = "MtlsAuthServer.CertificateBinding";

    /// <summary>Counter of bearer tokens refused for their binding, tagged <c>reason</c> (<see cref="BindingFailureCodes.Code"/>) and <c>scheme</c>.</summary>
    public const string RejectionsCounterName = "mtls_binding.rejections";

    /// <summary>The logger category of event 5100 <c>CertificateBindingRejected</c>.</summary>
    public const string LoggerCategory = "MtlsAuthServer.CertificateBinding";
}
