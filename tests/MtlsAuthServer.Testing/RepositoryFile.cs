namespace MtlsAuthServer.Tests.Infrastructure;

/// <summary>A file the repository ships (deploy/ configurations, rule files), found above the test binaries.</summary>
public static class RepositoryFile
{
    /// <param name="relativePath">Path from the repository root, with '/' separators, e.g. <c>deploy/nginx/mtls-edge.conf</c>.</param>
    public static string Find(string relativePath)
    {
        var parts = relativePath.Split('/');
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine([folder.FullName, .. parts]);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{relativePath} not found above {AppContext.BaseDirectory}");
    }
}
