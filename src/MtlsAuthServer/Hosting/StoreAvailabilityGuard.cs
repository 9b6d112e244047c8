using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Data;
using MtlsAuthServer.Diagnostics;
using MtlsAuthServer.Tokens;

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
    private static readonly (PathString Path, string Endpoint)[] OAuthEndpoints =
    [
        (new("/token"), EndpointNames.Token),
        (new("/introspect"), EndpointNames.Introspection),
        (new("/revoke"), EndpointNames.Revocation),
    ];

    private readonly int _retryAfterSeconds = Math.Max(1, (int)Math.Ceiling(options.Value.RetryAfter.TotalSeconds));

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = OAuthEndpoints.FirstOrDefault(e => context.Request.Path.Equals(e.Path, StringComparison.OrdinalIgnoreCase)).Endpoint;
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
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json;charset=UTF-8";
        context.Response.Headers.RetryAfter = _retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
        await JsonSerializer.SerializeAsync(context.Response.Body,
            new Dictionary<string, string>
            {
                ["error"] = "temporarily_unavailable",
                ["error_description"] = "The service is temporarily unavailable; retry later.",
            },
            cancellationToken: context.RequestAborted);
    }
}
