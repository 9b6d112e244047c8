using Serilog.Core;
using Serilog.Events;

namespace MtlsAuthServer.ServiceDefaults.Logging;

/// <summary>
/// The last enricher of the pipeline: every string property of every event (nested ones too) goes through
/// <see cref="LogValue.Clean"/> with <see cref="LogValue.MaxPropertyLength"/>, before any sink formats it. Both
/// console formats (text and JSON) render these properties, so neither can carry a raw control character, whatever
/// code logged it (our events, the forwarding library, request logging, the framework).
/// </summary>
public sealed class LogValueEscaping : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? replaced = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            if (Clean(value) is { } cleaned)
            {
                (replaced ??= []).Add(new LogEventProperty(name, cleaned));
            }
        }

        foreach (var property in replaced ?? [])
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }

    /// <returns>The cleaned value, or null when <paramref name="value"/> needs no change.</returns>
    private static LogEventPropertyValue? Clean(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: string text }:
                var cleaned = LogValue.Clean(text, LogValue.MaxPropertyLength);
                return ReferenceEquals(cleaned, text) ? null : new ScalarValue(cleaned);
            case SequenceValue sequence:
                var elements = sequence.Elements.Select(element => Clean(element)).ToList();
                return elements.All(element => element is null)
                    ? null
                    : new SequenceValue(elements.Select((element, i) => element ?? sequence.Elements[i]));
            case StructureValue structure:
                var properties = structure.Properties.Select(property => Clean(property.Value)).ToList();
                return properties.All(property => property is null)
                    ? null
                    : new StructureValue(
                        structure.Properties.Select((property, i) => new LogEventProperty(property.Name, properties[i] ?? property.Value)),
                        structure.TypeTag);
            case DictionaryValue dictionary:
                var entries = dictionary.Elements.Select(entry => (Key: Clean(entry.Key), Value: Clean(entry.Value))).ToList();
                return entries.All(entry => entry.Key is null && entry.Value is null)
                    ? null
                    : new DictionaryValue(dictionary.Elements.Select((entry, i) => new KeyValuePair<ScalarValue, LogEventPropertyValue>(
                        (ScalarValue?)entries[i].Key ?? entry.Key, entries[i].Value ?? entry.Value)));
            default:
                return null;
        }
    }
}
