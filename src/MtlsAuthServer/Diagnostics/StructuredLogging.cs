using Serilog;
using Serilog.Formatting.Compact;

namespace MtlsAuthServer.Diagnostics;

public static class StructuredLogging
{
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
                logger.ReadFrom.Configuration(builder.Configuration).ReadFrom.Services(services).Enrich.FromLogContext();
                // Console writes happen on a background thread: a request never waits for the terminal or a log pipe.
                if (json)
                {
                    logger.WriteTo.Async(sink => sink.Console(new RenderedCompactJsonFormatter()));
                }
                else
                {
                    logger.WriteTo.Async(sink => sink.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}"));
                }
            },
            // Each host keeps its own logger instead of the process-wide static one, so several hosts in one
            // process (tests, benchmarks) never write into each other's sinks and providers.
            preserveStaticLogger: true,
            // Other logging providers (tests add one) still receive every event.
            writeToProviders: true);
        return builder;
    }
}
