using Microsoft.Extensions.Options;
using MtlsAuthServer.Diagnostics;
using OpenIddict.Server;

namespace MtlsAuthServer.Hosting;

/// <summary>
/// Each listener serves only its job, decided by the socket the request came in on (<see cref="ListenerRole"/>):
/// <list type="bullet">
/// <item>Public: discovery and JWKS (GET/HEAD), nothing else — in particular no token, introspection or revocation, so
/// a request without a client certificate can never reach client authentication there, directly or through a proxy.</item>
/// <item>Management: health, metrics, CRLs (<see cref="ManagementListenerPolicy"/>); never the OAuth endpoints.</item>
/// <item>mTLS: the OAuth endpoints, discovery and JWKS.</item>
/// </list>
/// An OAuth endpoint asked for on the wrong listener gets 404 with an OAuth error naming where it is served, is
/// logged (event 4500, <c>wrong_listener</c>) and counted. A request that came through no listener of ours is refused.
/// </summary>
public sealed class ListenerOwnershipGuard
{
    private readonly RequestDelegate _next;
    private readonly OAuthRequestRefusals _refusals;
    private readonly HashSet<string> _publicPaths;
    private readonly string _mtlsBase;

    public ListenerOwnershipGuard(RequestDelegate next, IOptions<OpenIddictServerOptions> server, IOptions<ListenerOptions> listeners, OAuthRequestRefusals refusals)
    {
        _next = next;
        _refusals = refusals;
        // The paths OpenIddict serves discovery and JWKS on, as configured, with or without one trailing slash.
        _publicPaths = new HashSet<string>(
            server.Value.ConfigurationEndpointUris.Concat(server.Value.JsonWebKeySetEndpointUris)
                .Select(uri => "/" + (uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString).Trim('/'))
                .SelectMany(path => new[] { path, path + "/" }),
            StringComparer.OrdinalIgnoreCase);
        _mtlsBase = listeners.Value.MtlsPublicBaseUrl ?? listeners.Value.Mtls;
    }

    public Task InvokeAsync(HttpContext context)
    {
        var role = context.ListenerRole();
        var endpoint = OAuthEndpointPaths.EndpointOf(context.Request.Path);
        switch (role)
        {
            case ListenerRole.Mtls:
                return _next(context);
            case ListenerRole.Public when endpoint is null:
                return IsDiscovery(context.Request) ? _next(context) : NotFound(context);
            case ListenerRole.Management when endpoint is null:
                return _next(context);
            case null when endpoint is null:
                return NotFound(context);
            default:
                _refusals.Refused(endpoint!, RequestProblem.WrongListener, context.Connection.RemoteIpAddress?.ToString(), $"listener {role?.ToString() ?? "(none)"}");
                return OAuthEndpointPaths.WriteErrorAsync(context, StatusCodes.Status404NotFound, "invalid_request",
                    $"This endpoint is served on the mTLS listener ({_mtlsBase}).");
        }
    }

    private bool IsDiscovery(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && request.Path.Value is { } path && _publicPaths.Contains(path);

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }
}
