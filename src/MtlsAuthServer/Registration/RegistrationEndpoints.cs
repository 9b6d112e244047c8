using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Hosting;

namespace MtlsAuthServer.Registration;

public static class RegistrationEndpoints
{
    /// <summary>The short name of the registration endpoints in logs and metrics.</summary>
    public const string Endpoint = "registration";

    public const string RateLimitPolicy = "registration";

    private static readonly PathString Path = new("/register");

    /// <returns><see cref="Endpoint"/> for the registration endpoint and its client configuration endpoints, else null.</returns>
    public static string? EndpointOf(PathString path) => path.StartsWithSegments(Path, StringComparison.OrdinalIgnoreCase) ? Endpoint : null;

    /// <summary>The RFC 7591 registration endpoint as clients reach it (the mTLS base from configuration).</summary>
    public static Uri EndpointUri(ListenerOptions listeners)
    {
        var mtlsBase = listeners.MtlsPublicBaseUrl ?? listeners.Mtls;
        return new Uri(new Uri(mtlsBase.EndsWith('/') ? mtlsBase : mtlsBase + "/"), Path.Value!.TrimStart('/'));
    }

    /// <summary>RFC 7592 client configuration endpoint of <paramref name="clientId"/> (its <c>registration_client_uri</c>).</summary>
    public static Uri ClientUri(ListenerOptions listeners, string clientId) =>
        new(EndpointUri(listeners).AbsoluteUri + "/" + Uri.EscapeDataString(clientId));

    /// <summary>Registration options, policy, service and audit, the rate limit, and the discovery entry.</summary>
    public static WebApplicationBuilder AddDynamicClientRegistration(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DynamicRegistrationOptions>().BindConfiguration(DynamicRegistrationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<DynamicRegistrationOptions>, DynamicRegistrationOptionsValidator>();
        services.AddSingleton<RegistrationPolicy>();
        services.AddSingleton<RegistrationAudit>();
        services.AddScoped<ClientRegistrationService>();
        services.AddScoped<RegisteredCertificateCheck>();
        services.AddOpenIddict().AddServer(server => server.AddEventHandler(AdvertiseRegistrationEndpoint.Descriptor));
        services.AddRateLimiter(limiter =>
        {
            // Per source address: the socket's, never a value the caller sends (and so bounded by who can connect).
            limiter.AddPolicy(RateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "-",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = context.RequestServices.GetRequiredService<IOptions<DynamicRegistrationOptions>>().Value.PermitsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
            limiter.OnRejected = RejectRateLimitedAsync;
        });
        return builder;
    }

    /// <summary>
    /// <c>POST /register</c> (RFC 7591) and <c>GET/PUT/DELETE /register/{client_id}</c> (RFC 7592) on the mTLS listener,
    /// when <c>Registration:Enabled</c>. Not OpenIddict endpoints (it has none for registration): minimal APIs.
    /// </summary>
    public static WebApplication MapDynamicClientRegistration(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<DynamicRegistrationOptions>>().Value;
        if (!options.Enabled)
        {
            return app;
        }

        var group = app.MapGroup(Path).RequireRateLimiting(RateLimitPolicy).AddEndpointFilter(async (context, next) =>
            // Only the mTLS listener: the management listener has no TLS, the public one no client certificate.
            context.HttpContext.ListenerRole() == ListenerRole.Mtls ? await next(context) : Results.NotFound());
        group.MapPost(string.Empty, RegisterEndpoint.HandleAsync);
        group.MapGet("/{clientId}", ClientConfigurationEndpoint.ReadAsync);
        group.MapPut("/{clientId}", ClientConfigurationEndpoint.UpdateAsync);
        group.MapDelete("/{clientId}", ClientConfigurationEndpoint.DeleteAsync);

        var listeners = app.Services.GetRequiredService<IOptions<ListenerOptions>>().Value;
        RegistrationLog.DynamicRegistrationEnabled(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RegistrationEndpoints)),
            EndpointUri(listeners).AbsoluteUri, options.InitialAccessTokenHashes.Count, options.CaPath ?? "(none)", options.RequireBoth, string.Join(' ', options.Scopes));
        return app;
    }

    /// <summary>How a change was made, in audit events and metrics: through these endpoints (the <c>clients</c> command says <c>cli</c>).</summary>
    public const string Via = "endpoint";

    public static string OperationOf(string method) => method switch
    {
        "POST" => "register",
        "GET" => "read",
        "PUT" => "update",
        "DELETE" => "delete",
        _ => "other",
    };

    private static async ValueTask RejectRateLimitedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        context.RequestServices.GetRequiredService<RegistrationAudit>().Refused(RegistrationRefusal.RegistrationRateLimited, OperationOf(context.Request.Method), Via,
            null, context.Connection.RemoteIpAddress?.ToString(), context.Connection.ClientCertificate, "Registration:PermitsPerMinute reached for this source address");
        await RegistrationHttp.WriteErrorAsync(context, StatusCodes.Status429TooManyRequests, "slow_down", "Too many registration requests; retry later.");
    }
}
