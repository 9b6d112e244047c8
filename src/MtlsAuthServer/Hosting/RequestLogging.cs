using Serilog;

namespace MtlsAuthServer.Hosting;

public static class RequestLogging
{
    /// <summary>The logger name of the one-line-per-request events (Serilog's request logging middleware).</summary>
    public const string Category = "Serilog.AspNetCore.RequestLoggingMiddleware";

    /// <summary>
    /// One event per request on the mTLS and public listeners (method, path, status, duration). Requests on the
    /// management listener (health probes, metric scrapes, CRL downloads) never enter it: they arrive every few
    /// seconds and would drown everything else.
    /// </summary>
    public static WebApplication UseRequestLogging(this WebApplication app)
    {
        // The host's own Serilog logger: with preserveStaticLogger (StructuredLogging) the static Log stays silent, and
        // the middleware, left to itself, writes there, so nothing was ever logged.
        var logger = app.Services.GetRequiredService<Serilog.ILogger>();
        app.UseWhen(
            context => context.ListenerRole() != ListenerRole.Management,
            branch => branch.UseSerilogRequestLogging(options => options.Logger = logger));
        return app;
    }
}
