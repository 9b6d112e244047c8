using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.ServiceDefaults.Hosting;

/// <summary>
/// Configuration section <c>TrustAnchors</c>: the only CAs whose client certificates a host accepts (never the OS
/// store), loaded into a <see cref="TrustBundle"/>.
/// </summary>
public sealed class TrustAnchorOptions
{
    public const string Section = "TrustAnchors";

    /// <summary>PEM bundle of root CA certificates (self-signed). Intermediates found here are used for chain building only.</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>Optional PEM bundle of intermediate CA certificates, used when a client sends only its leaf.</summary>
    public string? IntermediatesPath { get; set; }

    /// <summary>Loads and checks the bundles; throws <see cref="InvalidDataException"/> naming the configuration key.</summary>
    public TrustBundle Load() => TrustBundle.Load(Path, $"{Section}:Path", IntermediatesPath, $"{Section}:IntermediatesPath");

    /// <summary>Binds the section, its paths relative to the content root (<see cref="ConfiguredPath"/>).</summary>
    public static OptionsBuilder<TrustAnchorOptions> Bind(IServiceCollection services) =>
        services.AddOptions<TrustAnchorOptions>().BindConfiguration(Section).PostConfigure<IHostEnvironment>((options, environment) => options.ResolvePaths(environment));

    private void ResolvePaths(IHostEnvironment environment)
    {
        Path = ConfiguredPath.Resolve(environment, Path);
        IntermediatesPath = ConfiguredPath.Resolve(environment, IntermediatesPath);
    }
}
