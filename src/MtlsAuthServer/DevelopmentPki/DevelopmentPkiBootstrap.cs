using System.Security.Cryptography;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.DevelopmentPki;

public static class DevelopmentPkiBootstrap
{
    /// <summary>
    /// Creates whatever part of the development PKI is missing. Runs before the token server reads its trust
    /// anchors and keys, so the first <c>dotnet run</c> needs no configuration. Nothing here is used outside
    /// the Development environment, and everything it writes under <c>certs/</c> is git-ignored.
    /// </summary>
    public static WebApplicationBuilder AddDevelopmentPki(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(DevelopmentPkiOptions.Section).Get<DevelopmentPkiOptions>();
        if (options is not { Enabled: true })
        {
            return builder;
        }

        var root = builder.Environment.ContentRootPath;
        var layout = new DevelopmentPkiLayout(Path.GetFullPath(options.Folder, root));
        var crlBase = options.CrlBaseUrl is { Length: > 0 } url ? new Uri(url.EndsWith('/') ? url : url + "/") : null;
        var now = DateTimeOffset.UtcNow;
        if (!layout.Exists)
        {
            Pki.DevelopmentPki.Create(layout, new DevelopmentPkiSettings { CrlBaseUri = crlBase }, now);
        }

        foreach (var (name, subject) in options.Clients)
        {
            if (!File.Exists(layout.ClientCertificate(name)))
            {
                Pki.DevelopmentPki.IssueClient(layout, name, CertificateProfile.ForClient(subject, now.AddMinutes(-5), now.AddDays(397)), crlBase);
            }
        }

        var signingKey = Path.GetFullPath(options.SigningKeyPath, root);
        if (!File.Exists(signingKey))
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            PemFiles.WriteSecret(signingKey, key.ExportPkcs8PrivateKeyPem() + "\n");
        }

        var encryptionKey = Path.GetFullPath(options.EncryptionKeyPath, root);
        if (!File.Exists(encryptionKey))
        {
            PemFiles.WriteSecret(encryptionKey, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n");
        }

        builder.Services.AddOptions<DevelopmentPkiOptions>().BindConfiguration(DevelopmentPkiOptions.Section);
        builder.Services.AddSingleton(layout);
        builder.Services.AddHostedService<DevelopmentPkiBanner>();
        builder.Services.AddHostedService<DevelopmentCrlRenewer>();
        return builder;
    }
}
