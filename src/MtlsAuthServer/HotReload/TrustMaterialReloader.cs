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

    protected override string Source
    {
        get
        {
            var settings = trustOptions.CurrentValue;
            return string.IsNullOrWhiteSpace(settings.IntermediatesPath) ? settings.Path : $"{settings.Path}, {settings.IntermediatesPath}";
        }
    }

    protected override string Fingerprint()
    {
        var settings = trustOptions.CurrentValue;
        using var fingerprint = new ContentFingerprint();
        return fingerprint.AddFile(settings.Path).AddFile(settings.IntermediatesPath).Complete();
    }

    protected override Task<string> ReloadAsync(CancellationToken cancellationToken)
    {
        TrustBundle material;
        try
        {
            material = trustOptions.CurrentValue.Load();
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
}
