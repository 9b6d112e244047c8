using System.Diagnostics.Metrics;

namespace MtlsAuthServer.Diagnostics;

/// <summary>Counters for client authentication outcomes, on the <c>MtlsAuthServer</c> meter.</summary>
public sealed class AuthenticationMetrics
{
    public const string MeterName = "MtlsAuthServer";
    public const string ClientAuthenticationsName = "mtls_auth.client_authentications";

    private readonly Counter<long> _authentications;

    public AuthenticationMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _authentications = meter.CreateCounter<long>(
            ClientAuthenticationsName, unit: "{authentication}", description: "Client authentications by outcome and rejection reason.");
    }

    public void Succeeded(string endpoint, string authMethod) =>
        _authentications.Add(1, new("outcome", "success"), new("reason", "none"), new("endpoint", endpoint), new("auth_method", authMethod));

    public void Rejected(string endpoint, RejectionReason reason) =>
        _authentications.Add(1, new("outcome", "failure"), new("reason", reason.Code()), new("endpoint", endpoint), new("auth_method", "-"));
}
