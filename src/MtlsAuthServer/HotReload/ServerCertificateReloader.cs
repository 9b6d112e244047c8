using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Diagnostics;
using MtlsAuthServer.Pki;
using MtlsAuthServer.ServiceDefaults.Hosting;

namespace MtlsAuthServer.HotReload;

/// <summary>
/// Swaps the TLS certificate of the mTLS and public listeners when <c>ServerCertificate:Path</c>/<c>KeyPath</c>
/// change. New handshakes get the new certificate; established connections keep theirs. A replacement that
/// can't be parsed, whose key doesn't match, or that isn't valid now is refused.
/// </summary>
public sealed class ServerCertificateReloader(
    ServerCertificateProvider provider,
    IOptionsMonitor<ServerCertificateOptions> certificateOptions,
    IOptionsMonitor<HotReloadOptions> options,
    TimeProvider time,
    ReloadMetrics metrics,
    ILogger<ServerCertificateReloader> logger)
    : PollingReloader(options, time, metrics, logger)
{
    private readonly TimeProvider _time = time;

    protected override string Material => "server_certificate";

    protected override string Source
    {
        get
        {
            var settings = certificateOptions.CurrentValue;
            return string.IsNullOrWhiteSpace(settings.KeyPath) ? settings.Path : $"{settings.Path}, {settings.KeyPath}";
        }
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return Task.CompletedTask;
        }

        var started = base.StartAsync(cancellationToken);
        // Load now if nothing did yet, after the baseline fingerprint: a change in between is then seen as a change.
        _ = provider.Current;
        return started;
    }

    protected override string Fingerprint()
    {
        var settings = certificateOptions.CurrentValue;
        using var fingerprint = new ContentFingerprint();
        return fingerprint.AddFile(settings.Path).AddFile(settings.KeyPath).AddText(settings.Password ?? string.Empty).Complete();
    }

    protected override Task<string> ReloadAsync(CancellationToken cancellationToken)
    {
        CertificateWithKey loaded;
        try
        {
            loaded = certificateOptions.CurrentValue.Load();
        }
        catch (Exception exception) when (exception is InvalidDataException or CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw new ReloadRejectedException($"could not load the certificate and key: {exception.Message}", exception);
        }

        try
        {
            Check(loaded.Leaf, _time.GetUtcNow());
        }
        catch (ReloadRejectedException)
        {
            loaded.Leaf.Dispose();
            throw;
        }

        // The previous context is not disposed: handshakes in flight may still be using it.
        provider.Replace(loaded);
        var leaf = loaded.Leaf;
        return Task.FromResult($"{leaf.Subject} (x5t#S256 {CertificateFacts.Sha256Thumbprint(leaf)}), valid until {leaf.NotAfter.ToUniversalTime():O}");
    }

    /// <summary>The checks a TLS server certificate must pass before clients see it.</summary>
    internal static void Check(X509Certificate2 certificate, DateTimeOffset now)
    {
        if (!certificate.HasPrivateKey)
        {
            throw new ReloadRejectedException($"'{certificate.Subject}' comes without its private key.");
        }

        if (!KeyMatches(certificate))
        {
            throw new ReloadRejectedException($"the private key does not belong to '{certificate.Subject}'.");
        }

        if (now < certificate.NotBefore.ToUniversalTime())
        {
            throw new ReloadRejectedException($"'{certificate.Subject}' is not valid before {certificate.NotBefore.ToUniversalTime():O}.");
        }

        if (now >= certificate.NotAfter.ToUniversalTime())
        {
            throw new ReloadRejectedException($"'{certificate.Subject}' expired at {certificate.NotAfter.ToUniversalTime():O}.");
        }
    }

    /// <summary>Signs with the private key and verifies with the certificate's public key: proof the two belong together.</summary>
    private static bool KeyMatches(X509Certificate2 certificate)
    {
        var probe = RandomNumberGenerator.GetBytes(32);
        try
        {
            if (certificate.GetECDsaPrivateKey() is { } ecdsaPrivate)
            {
                using (ecdsaPrivate)
                using (var ecdsaPublic = certificate.GetECDsaPublicKey())
                {
                    var signature = ecdsaPrivate.SignData(probe, HashAlgorithmName.SHA256);
                    return ecdsaPublic?.VerifyData(probe, signature, HashAlgorithmName.SHA256) == true;
                }
            }

            if (certificate.GetRSAPrivateKey() is { } rsaPrivate)
            {
                using (rsaPrivate)
                using (var rsaPublic = certificate.GetRSAPublicKey())
                {
                    var signature = rsaPrivate.SignData(probe, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
                    return rsaPublic?.VerifyData(probe, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss) == true;
                }
            }
        }
        catch (CryptographicException)
        {
            return false;
        }

        return false;
    }
}
