using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Hosting;

namespace MtlsAuthServer.ServiceDefaults.Hosting;

/// <summary>
/// The one rule for file paths in a host's configuration: a relative path is relative to the content root (where
/// <c>appsettings.json</c> lives), never to whatever the working directory happens to be. Paths typed on a command
/// line are the shell's (the PKI tool, <c>diagnose</c>), not configuration, and do not go through here.
/// </summary>
public static class ConfiguredPath
{
    [return: NotNullIfNotNull(nameof(path))]
    public static string? Resolve(IHostEnvironment environment, string? path)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return string.IsNullOrWhiteSpace(path) ? path : Path.GetFullPath(path, environment.ContentRootPath);
    }
}
