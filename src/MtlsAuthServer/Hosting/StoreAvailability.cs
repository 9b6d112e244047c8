using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Data;
using MtlsAuthServer.Diagnostics;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MtlsAuthServer.Hosting;

/// <summary>
/// Turns "the database is unavailable" into <c>503 temporarily_unavailable</c> with <c>Retry-After</c> at the OAuth
/// endpoints, instead of the 500 an exception from OpenIddict's stores would give: while start-up database work is
/// pending (<see cref="StoreReadinessGate"/>), and whenever a store call fails transiently, i.e. refused connection,
/// timeout, server shutting down (<see cref="StoreOutageHandler"/>). Clients back off and retry; the instance recovers
/// on its own when the database returns.
/// </summary>
public static class StoreAvailability
{
    public static WebApplicationBuilder AddStoreAvailability(this WebApplicationBuilder builder)
    {
        builder.Services.AddExceptionHandler<StoreOutageHandler>();
        builder.Services.AddSingleton<StoreUnavailableAnswer>();
        return builder;
    }

    public static WebApplication UseStoreAvailability(this WebApplication app)
    {
        // An exception no handler translates stays a bare 500, as without the middleware. .NET 10 records no
        // UnhandledException diagnostics for an exception a handler took (the 503s have their own event and metric).
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = _ => Task.CompletedTask });
        app.UseMiddleware<StoreReadinessGate>();
        return app;
    }

    /// <summary>The endpoint a request is for when it needs the database: an OAuth endpoint, or dynamic registration.</summary>
    internal static string? GuardedEndpointOf(this OAuthEndpointPaths endpoints, PathString path) =>
        endpoints.EndpointOf(path) ?? Registration.RegistrationEndpoints.EndpointOf(path);
}

/// <summary>Answers an OAuth request while the start-up database work has not completed (event 4401).</summary>
public sealed class StoreReadinessGate(RequestDelegate next, OAuthEndpointPaths endpoints, StoreReadiness readiness, StoreUnavailableAnswer answer)
{
    public Task InvokeAsync(HttpContext context) =>
        endpoints.GuardedEndpointOf(context.Request.Path) is { } endpoint && readiness.NotReadyReason is { } reason
            ? answer.NotReadyAsync(context, endpoint, reason)
            : next(context);
}

/// <summary>Translates a transient store failure thrown from an OAuth endpoint (event 4400); anything else is not its to handle.</summary>
public sealed class StoreOutageHandler(OAuthEndpointPaths endpoints, StoreUnavailableAnswer answer) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // The middleware rethrows what arrives after the response started; an aborted request needs no answer.
        if (endpoints.GuardedEndpointOf(httpContext.Request.Path) is not { } endpoint || StoreFailure.FindCause(exception) is not { } cause
            || httpContext.RequestAborted.IsCancellationRequested)
        {
            return false;
        }

        await answer.UnavailableAsync(httpContext, endpoint, cause);
        return true;
    }
}

/// <summary>The 503 of both cases, logged and counted.</summary>
public sealed class StoreUnavailableAnswer(IOptions<DatabaseOptions> options, StoreMetrics metrics, ILogger<StoreUnavailableAnswer> logger)
{
    private readonly int _retryAfterSeconds = Math.Max(1, (int)Math.Ceiling(options.Value.RetryAfter.TotalSeconds));

    public Task NotReadyAsync(HttpContext context, string endpoint, string reason)
    {
        StoreLog.StoreNotReady(logger, endpoint, _retryAfterSeconds, reason);
        metrics.Unavailable(endpoint, "not_ready");
        return WriteAsync(context);
    }

    public Task UnavailableAsync(HttpContext context, string endpoint, Exception cause)
    {
        StoreLog.StoreUnavailable(logger, endpoint, _retryAfterSeconds, cause.GetType().Name, cause.Message);
        metrics.Unavailable(endpoint, "unavailable");
        return WriteAsync(context);
    }

    private Task WriteAsync(HttpContext context)
    {
        // RFC 9110 §15.6.4 / §10.2.3: 503 with Retry-After in seconds. The error code is RFC 6749's
        // temporarily_unavailable (§4.1.2.1), in the error response shape of §5.2.
        context.Response.Headers.RetryAfter = _retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return OAuthErrorResponse.WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
            Errors.TemporarilyUnavailable, "The service is temporarily unavailable; retry later.");
    }
}
