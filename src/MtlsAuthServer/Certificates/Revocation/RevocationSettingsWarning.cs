using Microsoft.Extensions.Options;
using MtlsAuthServer.Diagnostics;

namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>
/// Weakening revocation is allowed, but never silent: it is logged as a warning at every start, and so is every
/// configured CA whose clients can't be checked in the configured mode and scope.
/// </summary>
public sealed class RevocationSettingsWarning(
    IOptions<RevocationOptions> options, RevocationCoverage coverage, ILogger<RevocationSettingsWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Mode == RevocationMode.NoCheck)
        {
            SecurityLog.RevocationCheckingDisabled(logger);
        }
        else if (options.Value.SoftFail)
        {
            SecurityLog.RevocationSoftFailEnabled(logger);
        }

        foreach (var gap in coverage.Gaps())
        {
            SecurityLog.RevocationCoverageGap(logger, gap.Ca, gap.Problem, gap.Fix);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
