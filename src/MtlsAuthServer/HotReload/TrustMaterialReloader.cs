using Microsoft.Extensions.Options;
using MtlsAuthServer.Certificates;
using MtlsAuthServer.Pki;
using MtlsAuthServer.ServiceDefaults.Hosting;

namespace MtlsAuthServer.HotReload;

/// <summary>
/// Swaps the trust anchors and intermediates when <c>TrustAnchors:Path</c>/<c>IntermediatesPath</c> change. Every
/// chain build reads <see cref="TrustMaterialProvider.Current"/> (handshake policy and token-endpoint validation
/// alike), so the next request sees the new set. A bundle that fails <see cref="TrustBundle.Load"/>'s checks
/// (no root, a non-CA certificate, a private key, unparseable) is refused.
/// </summary>
public sealed class TrustMaterialReloader(
    TrustMaterialProvider provider,
    IOptionsMonitor<TrustAnchorOptions> trustOptions,
    IOptionsMonitor<HotReloadOptions> options,
    TimeProvider time,
    ReloadMetrics metrics,
    ILogger<TrustMaterialReloader> logger)
    : PollingReloader(options, time, metrics, logger)
{
    protected override string Material => "trust_anchors";

    protected override string Source =>
        Settings(out _) is { } settings
            ? string.IsNullOrWhiteSpace(settings.IntermediatesPath) ? settings.Path : $"{settings.Path}, {settings.IntermediatesPath}"
            : TrustAnchorOptions.Section;

    protected override string Fingerprint()
    {
        if (Settings(out var failure) is not { } settings)
        {
            return failure; // Reloaded configuration that fails validation: a change, refused by ReloadAsync.
        }

        using var fingerprint = new ContentFingerprint();
        return fingerprint.AddFile(settings.Path).AddFile(settings.IntermediatesPath).Complete();
    }

    protected override Task<string> ReloadAsync(CancellationToken cancellationToken)
    {
        TrustBundle material;
        try
        {
            material = (Settings(out var failure) ?? throw new ReloadRejectedException(failure)).Load();
        }
        catch (InvalidDataException exception)
        {
            throw new ReloadRejectedException(exception.Message, exception);
        }

        // The previous set is not disposed: a chain build in flight may still hold it.
        provider.Replace(material);
        return Task.FromResult($"{material.Anchors.Count} trust anchor(s) [{string.Join("; ", material.Anchors.Select(a => a.Subject))}], "
            + $"{material.Intermediates.Count} intermediate(s)");
    }

    /// <summary>The current section; null (with the failures) when configuration reloaded to values that fail its validation.</summary>
    private TrustAnchorOptions? Settings(out string failure)
    {
        try
        {
            failure = string.Empty;
            return trustOptions.CurrentValue;
        }
        catch (OptionsValidationException exception)
        {
            failure = exception.Message;
            return null;
        }
    }
}
