using System.Diagnostics.Metrics;

namespace MtlsAuthServer.ResourceApi.Diagnostics;

/// <summary>Counter of token checks on the <c>MtlsAuthServer.ResourceApi</c> meter, by outcome, reason and validation mode.</summary>
public sealed class ResourceApiMetrics
{
    public const string MeterName = "MtlsAuthServer.ResourceApi";
    public const string TokenValidationsName = "mtls_resource.token_validations";

    private readonly Counter<long> _validations;

    public ResourceApiMetrics(IMeterFactory meters)
    {
        _validations = meters.Create(MeterName).CreateCounter<long>(
            TokenValidationsName, unit: "{request}", description: "Access token checks at the resource API by outcome and rejection reason.");
    }

    public void Accepted(string mode) =>
        _validations.Add(1, new("outcome", "success"), new("reason", "none"), new("mode", mode));

    public void Rejected(TokenRejectionReason reason, string mode) =>
        _validations.Add(1, new("outcome", "failure"), new("reason", reason.Code()), new("mode", mode));
}
