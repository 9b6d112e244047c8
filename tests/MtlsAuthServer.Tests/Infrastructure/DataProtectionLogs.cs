using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MtlsAuthServer.Tests.Infrastructure;

/// <summary>
/// Asserts that a host logged nothing under Data Protection's categories. A probe event is logged first under such a
/// category at <c>level</c>, and must be captured: an assertion about no events proves nothing if that level is filtered out.
/// </summary>
public static class DataProtectionLogs
{
    public const string Category = "Microsoft.AspNetCore.DataProtection";

    private const string ProbeCategory = Category + ".SpecProbe";

    public static void AssertNoneBesidesTheProbe(IServiceProvider services, CapturedLogs logs, LogLevel level)
    {
        services.GetRequiredService<ILoggerFactory>().CreateLogger(ProbeCategory)
            .Log(level, new EventId(1, "SpecProbe"), "probe", null, static (state, _) => state);

        var events = logs.Events.Where(e => e.Category.StartsWith(Category, StringComparison.Ordinal)).ToList();
        Assert.Contains(events, e => e.Category == ProbeCategory);
        Assert.All(events, e => Assert.Equal(ProbeCategory, e.Category));
    }
}
