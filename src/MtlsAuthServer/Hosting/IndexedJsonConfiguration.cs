using Microsoft.Extensions.Configuration.Json;

namespace MtlsAuthServer.Hosting;

/// <summary>
/// The appsettings files read by a provider that lists child keys from a <see cref="ChildKeyIndex"/> instead of a
/// scan of every key: the registered clients live in these files, and with thousands of them the framework's
/// scan made binding the registry quadratic. Values, precedence, reload and errors are the JSON provider's own.
/// </summary>
public static class IndexedJsonConfiguration
{
    /// <summary>Replaces every JSON file source already added (appsettings.json, appsettings.{Environment}.json, user secrets).</summary>
    public static void UseIndexedJsonFiles(this IConfigurationBuilder configuration)
    {
        for (var i = 0; i < configuration.Sources.Count; i++)
        {
            if (configuration.Sources[i] is JsonConfigurationSource { Path: { } path } source && source is not IndexedJsonConfigurationSource)
            {
                configuration.Sources[i] = new IndexedJsonConfigurationSource
                {
                    Path = path,
                    Optional = source.Optional,
                    ReloadOnChange = source.ReloadOnChange,
                    ReloadDelay = source.ReloadDelay,
                    FileProvider = source.FileProvider,
                    OnLoadException = source.OnLoadException,
                };
            }
        }
    }
}

/// <summary>A <see cref="JsonConfigurationSource"/> whose provider is an <see cref="IndexedJsonConfigurationProvider"/>.</summary>
public sealed class IndexedJsonConfigurationSource : JsonConfigurationSource
{
    public override IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        EnsureDefaults(builder);
        return new IndexedJsonConfigurationProvider(this);
    }
}

/// <summary>The JSON provider, answering <see cref="GetChildKeys"/> from an index of its current keys.</summary>
public sealed class IndexedJsonConfigurationProvider(JsonConfigurationSource source) : JsonConfigurationProvider(source)
{
    private IndexedData? _indexed;

    public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
    {
        var results = new List<string>();
        CurrentIndex().AddChildSegments(results, parentPath);
        results.AddRange(earlierKeys);
        results.Sort(ConfigurationKeyComparer.Instance);
        return results;
    }

    /// <summary>
    /// The index of the data in use. A load or reload replaces <see cref="ConfigurationProvider.Data"/> (also when an
    /// optional file disappears), and <see cref="ConfigurationProvider.Set"/> of a new key changes its count: either
    /// makes the index stale, and it is built again on the next question.
    /// </summary>
    private ChildKeyIndex CurrentIndex()
    {
        var data = Data;
        if (_indexed is { } indexed && ReferenceEquals(indexed.Data, data) && indexed.Index.Count == data.Count)
        {
            return indexed.Index;
        }

        var index = ChildKeyIndex.Of(data.Keys);
        _indexed = new IndexedData(data, index);
        return index;
    }

    private sealed record IndexedData(IDictionary<string, string?> Data, ChildKeyIndex Index);
}
