using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Observability;

/// <summary>One sample of a Prometheus text exposition: metric name, labels and value.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string? this[string label] => Labels.TryGetValue(label, out var value) ? value : null;
}

/// <summary>A scrape of the management listener's <c>/metrics</c>, parsed (text format 0.0.4).</summary>
public sealed partial class PrometheusScrape
{
    private PrometheusScrape(string text, IReadOnlyList<PrometheusSample> samples)
    {
        Text = text;
        Samples = samples;
    }

    public string Text { get; }

    public IReadOnlyList<PrometheusSample> Samples { get; }

    public static async Task<PrometheusScrape> FetchAsync(TokenServerHost host)
    {
        using var client = new HttpClient { BaseAddress = host.ManagementUri, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await client.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType ?? string.Empty, StringComparison.Ordinal);
        return Parse(await response.Content.ReadAsStringAsync());
    }

    public static PrometheusScrape Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"not a Prometheus sample line: {line}");
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match label in Label().Matches(match.Groups["labels"].Value))
            {
                labels[label.Groups["name"].Value] = Unescape(label.Groups["value"].Value);
            }

            var value = match.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                var number => double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            samples.Add(new PrometheusSample(match.Groups["name"].Value, labels, value));
        }

        return new PrometheusScrape(text, samples);
    }

    public IReadOnlyList<PrometheusSample> Named(string name) => [.. Samples.Where(sample => sample.Name == name)];

    /// <summary>The one sample of <paramref name="name"/> carrying all the given labels.</summary>
    public PrometheusSample One(string name, params (string Label, string Value)[] labels)
    {
        var matches = Named(name).Where(sample => labels.All(l => sample[l.Label] == l.Value)).ToList();
        Assert.True(matches.Count == 1,
            $"expected one {name} sample with {string.Join(", ", labels.Select(l => $"{l.Label}={l.Value}"))}, found {matches.Count}; scrape:\n{Text}");
        return matches[0];
    }

    /// <summary>The sum of <paramref name="name"/> over the samples carrying all the given labels (0 when none).</summary>
    public double Sum(string name, params (string Label, string Value)[] labels) =>
        Named(name).Where(sample => labels.All(l => sample[l.Label] == l.Value)).Sum(sample => sample.Value);

    private static string Unescape(string value) => value.Replace("\\n", "\n", StringComparison.Ordinal)
        .Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<name>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(\\.|[^""\\])*)""")]
    private static partial Regex Label();
}
