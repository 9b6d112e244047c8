using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace MtlsAuthServer.ServiceDefaults.Logging;

public static class StructuredLogging
{
    public const string TextTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// Serilog from configuration (<c>Serilog</c> section), console output as text or, with
    /// <c>LogFormat=json</c>, one compact JSON object per event (event ids and properties kept).
    /// </summary>
    public static WebApplicationBuilder AddStructuredLogging(this WebApplicationBuilder builder)
    {
        // Serilog is the console writer; the framework's own console provider would print every event twice.
        builder.Logging.ClearProviders();
        var json = string.Equals(builder.Configuration["LogFormat"], "json", StringComparison.OrdinalIgnoreCase);
        builder.Services.AddSerilog(
            (services, logger) =>
            {
                logger.ReadFrom.Configuration(builder.Configuration).ReadFrom.Services(services).Enrich.FromLogContext()
                    // Last, so it also sees the properties the enrichers above added: no sink gets a raw control character.
                    .Enrich.With<LogValueEscaping>();
                // Console writes happen on a background thread: a request never waits for the terminal or a log pipe.
                if (Console.IsOutputRedirected)
                {
                    logger.WriteTo.Sink(new BatchedConsoleLines(ConsoleFormatter(json), Console.OpenStandardOutput()), BatchedConsoleLines.Batching);
                    return;
                }

                logger.WriteTo.Async(sink =>
                {
                    if (json)
                    {
                        sink.Console(ConsoleFormatter(json: true));
                    }
                    else
                    {
                        sink.Console(outputTemplate: TextTemplate); // the console's own renderer keeps colours on a terminal
                    }
                });
            },
            // Each host keeps its own logger instead of the process-wide static one, so several hosts in one
            // process (tests, benchmarks) never write into each other's sinks and providers.
            preserveStaticLogger: true,
            // Other logging providers (tests add one) still receive every event.
            writeToProviders: true);
        // Serilog's factory makes a new logger per call, and per-request handlers call it: one per category instead.
        var serilogFactory = builder.Services.Last(descriptor => descriptor.ServiceType == typeof(ILoggerFactory));
        builder.Services.Remove(serilogFactory);
        builder.Services.AddSingleton<ILoggerFactory>(services => new CategoryLoggerCache((ILoggerFactory)(
            serilogFactory.ImplementationInstance
            ?? serilogFactory.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, serilogFactory.ImplementationType!))));
        return builder;
    }

    /// <summary>What the console writes for <c>LogFormat</c> json, or text (the same template, without colours).</summary>
    public static ITextFormatter ConsoleFormatter(bool json) =>
        json ? new RenderedCompactJsonFormatter() : new MessageTemplateTextFormatter(TextTemplate);
}
