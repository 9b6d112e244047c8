using System.Text.Json;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Deployment;

/// <summary>
/// The runtime settings the servers ship with, read from the runtimeconfig.json files the build generates (the same
/// files `dotnet publish` copies) and, for what only the environment can set, from the images' Dockerfiles. MSBuild
/// ignores a misspelt property without a word; this is where it shows.
/// </summary>
public sealed class PublishedRuntimeConfigSpec
{
    [Theory]
    [InlineData("MtlsAuthServer")]
    [InlineData("MtlsAuthServer.ResourceApi")]
    public void Servers_run_the_workstation_garbage_collector(string application)
    {
        var path = Path.Combine(AppContext.BaseDirectory, $"{application}.runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));

        var settings = document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.True(settings.TryGetProperty("System.GC.Server", out var serverGc), $"{path} does not set System.GC.Server");
        Assert.False(serverGc.GetBoolean());
    }

    [Theory]
    [InlineData("src/MtlsAuthServer/Dockerfile")]
    [InlineData("src/MtlsAuthServer.ResourceApi/Dockerfile")]
    public void Images_bound_the_gen0_budget_that_the_GC_would_otherwise_size_from_the_L3_cache(string dockerfile)
    {
        // Only an environment variable sets it (runtimeconfig.json has no key for it), so the image carries it.
        var line = Assert.Single(File.ReadAllLines(RepositoryFile.Find(dockerfile)), l => l.StartsWith("ENV DOTNET_GCgen0size=", StringComparison.Ordinal));
        var bytes = Convert.ToInt64(line["ENV DOTNET_GCgen0size=".Length..], 16);

        Assert.InRange(bytes, 4L << 20, 64L << 20);
    }
}
