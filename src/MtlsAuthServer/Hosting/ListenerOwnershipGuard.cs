using Microsoft.Extensions.Options;
using MtlsAuthServer.Diagnostics;
using MtlsAuthServer.Tokens;
using static OpenIddict.Abstractions.OpenIddictConstants;

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
public sealed class ListenerOwnershipGuard(RequestDelegate next, OAuthEndpointPaths endpoints, IOptions<ListenerOptions> listeners, OAuthRequestRefusals refusals)
{
    private readonly string _mtlsBase = ServerUrls.MtlsBaseUrl(listeners.Value);

    public Task InvokeAsync(HttpContext context)
    {
        var role = context.ListenerRole();
        var endpoint = endpoints.EndpointOf(context.Request.Path);
        switch (role)
        {
            case ListenerRole.Mtls:
                return next(context);
            case ListenerRole.Public when endpoint is null:
                return IsDiscovery(context.Request) ? next(context) : NotFound(context);
            case ListenerRole.Management when endpoint is null:
                return next(context);
            case null when endpoint is null:
                return NotFound(context);
            default:
                refusals.Refused(endpoint!, RequestProblem.WrongListener, context.Connection.RemoteIpAddress?.ToString(), $"listener {role?.ToString() ?? "(none)"}");
                return OAuthErrorResponse.WriteAsync(context, StatusCodes.Status404NotFound, Errors.InvalidRequest,
                    $"This endpoint is served on the mTLS listener ({_mtlsBase}).");
        }
    }

    private bool IsDiscovery(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && endpoints.IsDiscovery(request.Path);

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }
}
