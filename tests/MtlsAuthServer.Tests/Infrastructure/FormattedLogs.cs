using System.Collections.Concurrent;
using MtlsAuthServer.ServiceDefaults.Logging;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace MtlsAuthServer.Tests.Infrastructure;

/// <summary>
/// A Serilog sink the host picks up from its services (<c>ReadFrom.Services</c>): each event, after the host's
/// enrichers, formatted the way the console writes it in both <c>LogFormat</c>s, so specs can read the lines an
/// operator would see.
/// </summary>
public sealed class FormattedLogs : ILogEventSink
{
    private readonly MessageTemplateTextFormatter _text = new(StructuredLogging.TextTemplate);
    private readonly ITextFormatter _json = StructuredLogging.ConsoleFormatter(json: true);
    private readonly ConcurrentQueue<(string Text, string Json)> _events = new();

    /// <summary>Everything written in the text format, as the console would show it.</summary>
    public string Text => string.Concat(_events.Select(e => e.Text));

    /// <summary>Everything written in the JSON format: one object a line.</summary>
    public string Json => string.Concat(_events.Select(e => e.Json));

    public void Emit(LogEvent logEvent)
    {
        using var text = new StringWriter();
        using var json = new StringWriter();
        _text.Format(logEvent, text);
        _json.Format(logEvent, json);
        _events.Enqueue((text.ToString(), json.ToString()));
    }
}
