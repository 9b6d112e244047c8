using Serilog;
using Serilog.Formatting.Compact;

namespace MtlsAuthServer.ResourceApi.Diagnostics;

public static class StructuredLogging
{
    /// <summary>
    /// Serilog from the <c>Serilog</c> section; console as text or, with <c>LogFormat=json</c>, compact JSON (event ids
    /// and properties kept). Each host keeps its own logger so several hosts in one process don't share sinks.
    /// </summary>
    public static WebApplicationBuilder AddStructuredLogging(this WebApplicationBuilder builder)
    {
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
            preserveStaticLogger: true,
            writeToProviders: true);
        return builder;
    }
}
