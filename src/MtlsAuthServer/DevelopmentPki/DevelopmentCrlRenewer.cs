using Microsoft.Extensions.Options;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.DevelopmentPki;

/// <summary>
/// Keeps the development PKI's CRLs current while the server runs: at start and then every
/// <see cref="DevelopmentPkiOptions.CrlCheckInterval"/>, each CA's CRL is re-signed once its nextUpdate is less than
/// <see cref="DevelopmentPkiOptions.CrlRenewBefore"/> away. Without it the demo fails closed a week after
/// <c>dotnet run</c>, when the first CRLs pass their nextUpdate. Real CAs use <c>mtls-pki crl --renew-before</c> on a timer.
/// </summary>
public sealed partial class DevelopmentCrlRenewer(
    DevelopmentPkiLayout layout, IOptions<DevelopmentPkiOptions> options, TimeProvider time, ILogger<DevelopmentCrlRenewer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(settings.CrlCheckInterval, time);
        do
        {
            RenewDue(settings);
        }
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One pass over both CAs; a failure is logged and retried at the next tick, never ends the loop.</summary>
    internal void RenewDue(DevelopmentPkiOptions settings)
    {
        foreach (var ca in new[] { layout.RootCa, layout.IssuingCa })
        {
            try
            {
                if (CrlPublisher.PublishIfDue(ca, time.GetUtcNow(), settings.CrlRenewBefore, settings.CrlValidity) is { } published)
                {
                    CrlRenewed(logger, published.Path, published.CrlNumber, published.NextUpdate);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or InvalidDataException)
            {
                CrlRenewalFailed(logger, ca.Crl, exception.Message);
            }
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 1002, EventName = "DevelopmentCrlRenewed", Level = LogLevel.Information,
        Message = "Development PKI: re-signed {Path} as CRL number {CrlNumber}, next update {NextUpdate:O}")]
    private static partial void CrlRenewed(ILogger logger, string path, long crlNumber, DateTimeOffset nextUpdate);

    [LoggerMessage(EventId = 1003, EventName = "DevelopmentCrlRenewalFailed", Level = LogLevel.Warning,
        Message = "Development PKI: could not re-sign {Path}: {Failure}; retried at the next check")]
    private static partial void CrlRenewalFailed(ILogger logger, string path, string failure);
}
