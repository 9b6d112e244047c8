using System.Globalization;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Data;
using MtlsAuthServer.Diagnostics;

namespace MtlsAuthServer.Hosting;

/// <summary>
/// Turns "the database is unavailable" into <c>503 temporarily_unavailable</c> with <c>Retry-After</c> at the
/// OAuth endpoints, instead of the 500 an exception from OpenIddict's stores would give: while start-up database
/// work is pending, and whenever a store call fails transiently (refused connection, timeout, server shutting
/// down). Clients back off and retry; the instance recovers on its own when the database returns.
/// </summary>
public sealed class StoreAvailabilityGuard(
    RequestDelegate next,
    StoreReadiness readiness,
    IOptions<DatabaseOptions> options,
    StoreMetrics metrics,
    ILogger<StoreAvailabilityGuard> logger)
{
    private readonly int _retryAfterSeconds = Math.Max(1, (int)Math.Ceiling(options.Value.RetryAfter.TotalSeconds));

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = OAuthEndpointPaths.EndpointOf(context.Request.Path) ?? Registration.RegistrationEndpoints.EndpointOf(context.Request.Path);
        if (endpoint is null)
        {
            await next(context);
            return;
        }

        if (readiness.NotReadyReason is { } reason)
        {
            StoreLog.StoreNotReady(logger, endpoint, _retryAfterSeconds, reason);
            metrics.Unavailable(endpoint, "not_ready");
            await WriteUnavailableAsync(context);
            return;
        }

        try
        {
            await next(context);
        }
        catch (Exception exception) when (StoreFailure.FindCause(exception) is { } cause && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            StoreLog.StoreUnavailable(logger, endpoint, _retryAfterSeconds, cause.GetType().Name, cause.Message);
            metrics.Unavailable(endpoint, "unavailable");
            context.Response.Clear();
            await WriteUnavailableAsync(context);
        }
    }

    private async Task WriteUnavailableAsync(HttpContext context)
    {
        // RFC 9110 §15.6.4 / §10.2.3: 503 with Retry-After in seconds. The error code is RFC 6749's
        // temporarily_unavailable (§4.1.2.1), in the error response shape of §5.2.
        context.Response.Headers.RetryAfter = _retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        await OAuthEndpointPaths.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable,
            "temporarily_unavailable", "The service is temporarily unavailable; retry later.");
    }
}
