using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MtlsAuthServer.Tests.Infrastructure;

/// <summary>One captured log event with its structured properties.</summary>
public sealed record CapturedLogEvent(string Category, LogLevel Level, EventId EventId, IReadOnlyDictionary<string, object?> Properties, string Message)
{
    public string? this[string property] => Properties.TryGetValue(property, out var value) ? value?.ToString() : null;
}

/// <summary>An in-memory logger provider, so tests assert on the logged reason, not only the HTTP answer.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLogEvent> _events = new();

    public IReadOnlyList<CapturedLogEvent> Events => [.. _events];

    public IEnumerable<CapturedLogEvent> WithEventId(int id) => _events.Where(e => e.EventId.Id == id);

    /// <summary>The security events (4001) of rejected client authentications.</summary>
    public IReadOnlyList<CapturedLogEvent> Rejections => [.. WithEventId(4001)];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _events);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<CapturedLogEvent> events) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = state is IReadOnlyList<KeyValuePair<string, object?>> pairs
                ? pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)
                : new Dictionary<string, object?>(StringComparer.Ordinal);
            events.Enqueue(new CapturedLogEvent(category, logLevel, eventId, properties, formatter(state, exception)));
        }
    }
}
