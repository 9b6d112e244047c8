using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using MtlsAuthServer.CertificateBinding;
using MtlsAuthServer.Diagnostics;
using MtlsAuthServer.ResourceApi.Diagnostics;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Specs.Diagnostics;

/// <summary>
/// Keeps the diagnostics catalogue honest: every structured log event of the shipped assemblies has one id within
/// its assembly and a row in <c>docs/log-events.md</c>, no row names an event that does not exist, and every
/// rejection reason code of the token server, the resource API and the binding library has a row in
/// <c>docs/rejection-reasons.md</c>. "Why was this refused?" stays one hop from the log line.
/// </summary>
public sealed partial class DiagnosticsCatalogueSpecs
{
    private static readonly Assembly[] Shipped =
    [
        typeof(RejectionReason).Assembly, // token server
        typeof(TokenRejectionReason).Assembly, // resource API
        typeof(BindingFailure).Assembly, // binding library
        typeof(CertificateForwarding.ProxyMode).Assembly, // forwarding library
        typeof(ServiceDefaults.Logging.StructuredLogging).Assembly,
    ];

    public static TheoryData<string> Assemblies => [.. Shipped.Select(assembly => assembly.GetName().Name!)];

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Event_ids_are_unique_within_each_assembly(string assembly)
    {
        var duplicates = EventsOf(Shipped.Single(a => a.GetName().Name == assembly))
            .GroupBy(e => e.Id)
            .Where(group => group.Select(e => e.Name).Distinct().Count() > 1)
            .Select(group => $"{group.Key}: {string.Join(", ", group.Select(e => e.Name).Distinct())}")
            .ToList();

        Assert.Empty(duplicates);
    }

    [Fact]
    public void Every_event_has_a_row_in_the_log_event_catalogue_and_every_row_an_event()
    {
        var catalogue = CatalogueRows(File.ReadAllText(RepositoryFile.Find("docs/log-events.md")));
        var events = Shipped.SelectMany(assembly => EventsOf(assembly).Select(e => (Assembly: assembly.GetName().Name!, e.Id, e.Name, e.Level)))
            .Distinct()
            .ToList();

        var undocumented = events.Where(e => !catalogue.Contains((e.Assembly, e.Id, e.Name))).Select(e => $"| {e.Id} | `{e.Name}` | {e.Level} | {e.Assembly} |").ToList();
        var stale = catalogue.Where(row => !events.Any(e => (e.Assembly, e.Id, e.Name) == row)).Select(row => row.ToString()).ToList();

        Assert.True(undocumented.Count == 0, "rows missing from docs/log-events.md:\n" + string.Join("\n", undocumented));
        Assert.True(stale.Count == 0, "rows of docs/log-events.md without an event:\n" + string.Join("\n", stale));
    }

    public static TheoryData<string, string> ReasonCodes
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var reason in Enum.GetValues<RejectionReason>())
            {
                data.Add("token server", reason.Code());
            }

            foreach (var reason in Enum.GetValues<TokenRejectionReason>())
            {
                data.Add("resource API", reason.Code());
            }

            foreach (var refusal in Enum.GetValues<MtlsAuthServer.Registration.RegistrationRefusal>())
            {
                data.Add("registration endpoint", MtlsAuthServer.Registration.RegistrationRefusalCodes.Code(refusal));
            }

            foreach (var failure in Enum.GetValues<BindingFailure>())
            {
                data.Add("binding library", failure.Code());
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(ReasonCodes))]
    public void Every_reason_code_has_a_row_in_the_rejection_reasons_document(string decidedBy, string code)
    {
        Assert.NotEqual("unknown", code); // an enum value without its code falls through to "unknown"
        var document = File.ReadAllText(RepositoryFile.Find("docs/rejection-reasons.md"));

        Assert.True(document.Contains($"| `{code}` |", StringComparison.Ordinal), $"{decidedBy} reason `{code}` has no row in docs/rejection-reasons.md");
    }

    private static IEnumerable<(int Id, string Name, LogLevel Level)> EventsOf(Assembly assembly) =>
        assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(method => method.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .Select(attribute => (attribute.EventId, attribute.EventName ?? "(unnamed)", attribute.Level));

    private static HashSet<(string Assembly, int Id, string Name)> CatalogueRows(string markdown) =>
        [.. CatalogueRow().Matches(markdown).Select(match => (match.Groups["assembly"].Value, int.Parse(match.Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups["name"].Value))];

    // | 4001 | `ClientRejected` | Warning | MtlsAuthServer | meaning |
    [GeneratedRegex(@"^\| (?<id>\d+) \| `(?<name>[A-Za-z0-9]+)` \| \w+ \| (?<assembly>[A-Za-z.]+) \|", RegexOptions.Multiline)]
    private static partial Regex CatalogueRow();
}
