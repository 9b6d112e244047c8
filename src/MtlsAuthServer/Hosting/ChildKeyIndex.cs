namespace MtlsAuthServer.Hosting;

/// <summary>
/// The keys of one configuration provider, sorted so the children of a path are a range found by binary search.
/// <see cref="ConfigurationProvider.GetChildKeys"/> scans every key for each path it is asked about, and binding a
/// list of n sections asks about each of them: with 10,000 registered clients (30,000 keys) binding the registry took
/// tens of seconds of CPU at every start and reload. This index answers the same question in O(log n + children).
/// </summary>
internal sealed class ChildKeyIndex
{
    // OrdinalIgnoreCase is how providers compare keys, and under it the keys starting with a prefix are contiguous.
    private static readonly StringComparer KeyOrder = StringComparer.OrdinalIgnoreCase;
    private readonly string[] _keys;

    private ChildKeyIndex(string[] keys) => _keys = keys;

    public static ChildKeyIndex Of(ICollection<string> keys)
    {
        var sorted = new string[keys.Count];
        keys.CopyTo(sorted, 0);
        Array.Sort(sorted, KeyOrder);
        return new ChildKeyIndex(sorted);
    }

    public int Count => _keys.Length;

    /// <summary>
    /// Adds to <paramref name="results"/> the segment after <paramref name="parentPath"/> of every key below it, one
    /// per key (duplicates included, unsorted), exactly as <see cref="ConfigurationProvider.GetChildKeys"/> collects them.
    /// </summary>
    public void AddChildSegments(List<string> results, string? parentPath)
    {
        if (parentPath is null)
        {
            foreach (var key in _keys)
            {
                results.Add(Segment(key, 0));
            }

            return;
        }

        var prefix = parentPath + ConfigurationPath.KeyDelimiter;
        for (var i = LowerBound(prefix); i < _keys.Length && _keys[i].StartsWith(prefix, StringComparison.OrdinalIgnoreCase); i++)
        {
            results.Add(Segment(_keys[i], prefix.Length));
        }
    }

    /// <summary>The first position whose key does not sort before <paramref name="prefix"/>.</summary>
    private int LowerBound(string prefix)
    {
        int low = 0, high = _keys.Length;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (KeyOrder.Compare(_keys[middle], prefix) < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private static string Segment(string key, int start)
    {
        var end = key.IndexOf(ConfigurationPath.KeyDelimiter, start, StringComparison.Ordinal);
        return end < 0 ? key[start..] : key[start..end];
    }
}
