using Microsoft.Extensions.Options;
using MtlsAuthServer.Diagnostics;

namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>Weakening revocation is allowed, but never silent: it is logged as a warning at every start.</summary>
public sealed class RevocationSettingsWarning(IOptions<RevocationOptions> options, ILogger<RevocationSettingsWarning> logger) : IHostedService
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

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
