namespace MtlsAuthServer.ResourceApi.Hosting;

/// <summary>File paths from configuration: relative paths are relative to the content root, not the working directory.</summary>
public static class ConfiguredPath
{
    public static string Resolve(IHostEnvironment environment, string path) =>
        string.IsNullOrWhiteSpace(path) ? path : Path.GetFullPath(path, environment.ContentRootPath);

    /// <summary>The resolved path of an existing file; throws naming the configuration key otherwise.</summary>
    public static string RequireFile(IHostEnvironment environment, string? path, string key)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InvalidDataException($"{key}: no file configured.");
        }

        var full = Resolve(environment, path);
        return File.Exists(full) ? full : throw new InvalidDataException($"{key}: file '{full}' does not exist.");
    }
}
