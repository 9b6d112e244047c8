using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.ServiceDefaults.Hosting;

/// <summary>Configuration section <c>ServerCertificate</c>: the TLS certificate of a host's HTTPS listeners.</summary>
public sealed class ServerCertificateOptions
{
    public const string Section = "ServerCertificate";

    /// <summary>PEM certificate (leaf first, then its intermediates) or a PFX/PKCS#12 file.</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>PEM private key; not used for PFX.</summary>
    public string? KeyPath { get; set; }

    /// <summary>PFX password, or the password of an encrypted PEM key.</summary>
    public string? Password { get; set; }

    /// <summary>Loads the files; throws <see cref="InvalidDataException"/> naming the configuration key on failure.</summary>
    public CertificateWithKey Load() => CertificateWithKey.Load(Path, KeyPath, Password, Section);

    /// <summary>Binds the section, its paths relative to the content root (<see cref="ConfiguredPath"/>).</summary>
    public static OptionsBuilder<ServerCertificateOptions> Bind(IServiceCollection services) =>
        services.AddOptions<ServerCertificateOptions>().BindConfiguration(Section).PostConfigure<IHostEnvironment>((options, environment) =>
        {
            options.Path = ConfiguredPath.Resolve(environment, options.Path);
            options.KeyPath = ConfiguredPath.Resolve(environment, options.KeyPath);
        });
}
