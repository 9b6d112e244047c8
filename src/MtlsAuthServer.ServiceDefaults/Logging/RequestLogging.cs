using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Serilog;

namespace MtlsAuthServer.ServiceDefaults.Logging;

public static class RequestLogging
{
    /// <summary>The logger name of the one-line-per-request events (Serilog's request logging middleware).</summary>
    public const string Category = "Serilog.AspNetCore.RequestLoggingMiddleware";

    /// <summary>
    /// One event per request (method, path, status, duration), through the host's own Serilog logger: with
    /// <see cref="StructuredLogging"/>'s preserved static logger the static <c>Log</c> stays silent, and the middleware,
    /// left to itself, writes there, so nothing would ever be logged. Requests <paramref name="include"/> refuses (a
    /// management listener's probes and scrapes, which arrive every few seconds) never enter it.
    /// </summary>
    public static WebApplication UseRequestLogging(this WebApplication app, Func<HttpContext, bool>? include = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.Services.GetRequiredService<ILogger>();
        if (include is null)
        {
            app.UseSerilogRequestLogging(options => options.Logger = logger);
        }
        else
        {
            app.UseWhen(include, branch => branch.UseSerilogRequestLogging(options => options.Logger = logger));
        }

        return app;
    }
}
