using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Certificates.Revocation;
using MtlsAuthServer.Diagnostics;

namespace MtlsAuthServer.Certificates;

/// <summary>
/// The revocation step of <see cref="ClientCertificateValidator"/>: every certificate of a built path below the anchor
/// (or only the client's, <c>Revocation:Scope=EndEntity</c>), each against its issuer, in order. A revoked one fails the
/// check; an unknown one fails it too unless <c>Revocation:SoftFail</c> accepts it, which is audited (event 4002).
/// </summary>
public sealed class PathRevocationCheck(IRevocationChecker revocation, IOptionsMonitor<RevocationOptions> options, ClientAuthenticationAudit audit)
{
    /// <summary>Adds the revocation check to <paramref name="report"/>; false when it fails.</summary>
    public async Task<bool> RunAsync(X509Certificate2[] path, CertificateValidationReport report, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (settings.Mode == RevocationMode.NoCheck)
        {
            report.Pass(ClientCertificateValidator.RevocationCheck, "revocation checking is off (Revocation:Mode=NoCheck)");
            return true;
        }

        var details = new List<string>();
        // Every certificate below the anchor (the client's, then each intermediate's), or only the client's.
        var checkedCount = settings.Scope == RevocationScope.EndEntity ? 1 : path.Length - 1;
        for (var i = 0; i < checkedCount; i++)
        {
            var result = await CheckOneAsync(path[i], path[i + 1], cancellationToken).ConfigureAwait(false);
            var role = i == 0 ? "certificate" : $"issuer '{path[i].Subject}'";
            switch (result.Status)
            {
                case RevocationStatus.Revoked:
                    report.Fail(ClientCertificateValidator.RevocationCheck, RejectionReason.CertificateRevoked, $"{role} is revoked ({result.Source} {result.Detail})");
                    return false;
                case RevocationStatus.Unknown when !settings.SoftFail:
                    report.Fail(ClientCertificateValidator.RevocationCheck, RejectionReason.RevocationUnknown, $"{role}: {result.Source}: {result.Detail}");
                    return false;
                case RevocationStatus.Unknown:
                    audit.SoftFailed(path[i], $"{result.Source}: {result.Detail}");
                    details.Add($"{role}: unknown, accepted by soft-fail");
                    break;
                default:
                    details.Add($"{role}: good ({result.Source})");
                    break;
            }
        }

        if (settings.Scope == RevocationScope.EndEntity && path.Length > 2)
        {
            details.Add("intermediates not checked (Revocation:Scope=EndEntity)");
        }

        report.Pass(ClientCertificateValidator.RevocationCheck, string.Join("; ", details));
        return true;
    }

    /// <summary>The checker answers with a status, never an exception; should one escape anyway, it is "unknown", not a 500.</summary>
    private async ValueTask<RevocationCheckResult> CheckOneAsync(X509Certificate2 certificate, X509Certificate2 issuer, CancellationToken cancellationToken)
    {
        try
        {
            return await revocation.CheckAsync(certificate, issuer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return RevocationCheckResult.Unknown("error", $"the revocation check failed: {exception.GetType().Name}");
        }
    }
}
