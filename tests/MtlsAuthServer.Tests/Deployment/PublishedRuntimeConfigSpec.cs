using System.Text.Json;

namespace MtlsAuthServer.Tests.Deployment;

/// <summary>
/// The runtime settings the servers ship with, read from the runtimeconfig.json files the build generates (the same
/// files `dotnet publish` copies). MSBuild ignores a misspelt property without a word; this is where it shows.
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
}
