using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MtlsAuthServer.ServiceDefaults.Logging;

/// <summary>
/// The logger factory with one logger per category, as the framework's own factory keeps them. Serilog's factory
/// builds a new logger (and its event-id cache) on every <c>CreateLogger</c>, and ASP.NET Core's authentication
/// handlers, which are made per request, ask for one each time: about 2 % of the bytes a token request allocated.
/// </summary>
/// <remarks>
/// Category names come from code (type names), not from requests; past <see cref="Capacity"/> of them a logger is
/// still created, just not kept, so the cache stays bounded whatever a caller passes.
/// </remarks>
public sealed class CategoryLoggerCache(ILoggerFactory inner) : ILoggerFactory
{
    public const int Capacity = 1_024;

    private readonly ConcurrentDictionary<string, ILogger> _loggers = new(StringComparer.Ordinal);

    public ILogger CreateLogger(string categoryName)
    {
        if (_loggers.TryGetValue(categoryName, out var logger))
        {
            return logger;
        }

        logger = inner.CreateLogger(categoryName);
        return _loggers.Count < Capacity ? _loggers.GetOrAdd(categoryName, logger) : logger;
    }

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();
}
