using CsCheck;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using MtlsAuthServer.Hosting;

namespace MtlsAuthServer.Specs.Hosting;

/// <summary>
/// <see cref="IndexedJsonConfigurationProvider"/> lists child keys from a sorted index instead of the framework's scan
/// of every key. The framework's own provider is the oracle: for any keys (mixed case, empty segments, characters
/// whose case folds, such as ı and ß) and any parent path, both answer the same list in the same order (up to the spelling of case-equal keys), and the index
/// follows the data through reloads and added keys.
/// </summary>
public sealed class IndexedJsonConfigurationSpecs
{
    private static readonly Gen<string> Segment = Gen.OneOf(
        Gen.Const(""), Gen.Const("0"), Gen.Const("1"), Gen.Const("10"), Gen.Const("2"), Gen.Const("a"), Gen.Const("A"), Gen.Const("ab"),
        Gen.Const("Clients"), Gen.Const("clients"), Gen.Const("i"), Gen.Const("I"), Gen.Const("ı"), Gen.Const("İ"), Gen.Const("ß"), Gen.Const("a-b"), Gen.Const("a;b"));

    private static readonly Gen<string> Key = Segment.Array[1, 4].Select(segments => string.Join(':', segments));

    [Fact]
    public void Lists_the_same_child_keys_as_the_frameworks_provider_for_any_keys_and_parent_path()
    {
        Gen.Select(Key.Array[0, 40], Key.Array[0, 6], Gen.Bool).Sample((keys, probes, withEarlierKeys) =>
        {
            var oracle = new MemoryConfigurationProvider(new MemoryConfigurationSource());
            var indexed = new IndexedJsonConfigurationProvider(new IndexedJsonConfigurationSource());
            foreach (var key in keys)
            {
                oracle.Set(key, "v");
                indexed.Set(key, "v");
            }

            // Parents asked about: the root, every prefix of a stored key, and keys that may match nothing.
            var parents = keys.SelectMany(Prefixes).Concat(probes).Distinct().Select(parent => (string?)parent).Append(null);
            string[] earlier = withEarlierKeys ? ["b", "0", "Z"] : [];
            foreach (var parent in parents)
            {
                // Keys are case-insensitive: the order among spellings of one key ("Clients", "clients") is the
                // framework's unstable sort's, so the lists are compared spelling-blind.
                Assert.Equal(oracle.GetChildKeys(earlier, parent), indexed.GetChildKeys(earlier, parent), StringComparer.OrdinalIgnoreCase);
            }
        }, iter: 3_000, seed: "0kQ9cT1Xg7aS");
    }

    [Fact]
    public void A_key_added_after_a_question_is_listed_at_the_next_one()
    {
        var indexed = new IndexedJsonConfigurationProvider(new IndexedJsonConfigurationSource());
        indexed.Set("Clients:0:client_id", "a");
        Assert.Equal(["0"], indexed.GetChildKeys([], "Clients"));

        indexed.Set("Clients:1:client_id", "b");

        Assert.Equal(["0", "1"], indexed.GetChildKeys([], "Clients"));
    }

    [Fact]
    public void A_reloaded_file_is_listed_with_its_new_keys_even_when_it_has_as_many_as_before()
    {
        using var directory = new TemporaryDirectory();
        var file = Path.Combine(directory.Path, "appsettings.json");
        File.WriteAllText(file, """{ "Clients": [ { "client_id": "a" }, { "client_id": "b" } ] }""");
        var builder = new ConfigurationBuilder().AddJsonFile(file, optional: true, reloadOnChange: false);
        builder.UseIndexedJsonFiles();
        var root = builder.Build();
        Assert.Equal(["0", "1"], root.GetSection("Clients").GetChildren().Select(child => child.Key));

        // Same number of keys, other names: only the reference to the new data tells the index it is stale.
        File.WriteAllText(file, """{ "Scopes": [ { "Name": "a" }, { "Name": "b" } ] }""");
        root.Reload();
        Assert.Empty(root.GetSection("Clients").GetChildren());
        Assert.Equal(["0", "1"], root.GetSection("Scopes").GetChildren().Select(child => child.Key));

        // An optional file that disappears leaves no keys behind.
        File.Delete(file);
        root.Reload();
        Assert.Empty(root.GetChildren());
    }

    [Fact]
    public void Replaces_each_json_file_source_keeping_its_path_and_reload_settings_and_leaves_the_others()
    {
        var builder = new ConfigurationBuilder()
            .AddInMemoryCollection([new("Clients:0:client_id", "memory")])
            .AddJsonFile("appsettings.json", optional: true, reloadOnChange: true)
            .AddJsonFile("appsettings.Production.json", optional: false, reloadOnChange: false);

        builder.UseIndexedJsonFiles();

        Assert.IsType<MemoryConfigurationSource>(builder.Sources[0]);
        var files = builder.Sources.Skip(1).Select(source => Assert.IsType<IndexedJsonConfigurationSource>(source)).ToList();
        Assert.Equal(["appsettings.json", "appsettings.Production.json"], files.Select(file => file.Path));
        Assert.Equal([true, false], files.Select(file => file.Optional));
        Assert.Equal([true, false], files.Select(file => file.ReloadOnChange));
    }

    private static IEnumerable<string> Prefixes(string key)
    {
        for (var i = key.IndexOf(':'); i >= 0; i = key.IndexOf(':', i + 1))
        {
            yield return key[..i];
        }

        yield return key;
    }

    private sealed class TemporaryDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("indexed-json-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
