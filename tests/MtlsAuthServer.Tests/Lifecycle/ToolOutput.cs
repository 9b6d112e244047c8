using System.Text.Json;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Lifecycle;

/// <summary>Reads what the tool prints for people back into data: the registration JSON block and its environment variables.</summary>
public static class ToolOutput
{
    /// <summary>The JSON object printed by <c>--print-registration</c> (from a line "{" to the matching line "}").</summary>
    public static JsonElement RegistrationJson(PkiToolRun run)
    {
        var lines = run.Output.Split('\n');
        var start = Array.FindIndex(lines, line => line.TrimEnd() == "{");
        var end = Array.FindIndex(lines, start + 1, line => line.TrimEnd() == "}");
        Assert.True(start >= 0 && end > start, "no registration JSON in:\n" + run.Output);
        return JsonDocument.Parse(string.Join('\n', lines[start..(end + 1)])).RootElement.Clone();
    }

    /// <summary>The <c>Clients__0__...=value</c> lines, as configuration keys (<c>Clients:0:...</c>) and values.</summary>
    public static IReadOnlyDictionary<string, string> RegistrationEnvironment(PkiToolRun run)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in run.Output.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.StartsWith("Clients__", StringComparison.Ordinal) && line.IndexOf('=', StringComparison.Ordinal) is > 0 and var equals)
            {
                variables[line[..equals].Replace("__", ":", StringComparison.Ordinal)] = line[(equals + 1)..];
            }
        }

        Assert.NotEmpty(variables);
        return variables;
    }

    /// <summary>The registration JSON as configuration keys under <c>Clients:{index}</c> (objects by name, arrays by position).</summary>
    public static void AddClient(TokenServerSettings settings, int index, JsonElement registration) =>
        Flatten(settings, $"Clients:{index}", registration);

    private static void Flatten(TokenServerSettings settings, string prefix, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Flatten(settings, $"{prefix}:{property.Name}", property.Value);
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Flatten(settings, $"{prefix}:{i++}", item);
                }

                break;
            default:
                settings[prefix] = element.GetString();
                break;
        }
    }
}
