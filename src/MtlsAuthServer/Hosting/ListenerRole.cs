using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace MtlsAuthServer.Hosting;

/// <summary>The job of the listener a request arrived on; each listener serves only its own (<see cref="ListenerOwnershipGuard"/>).</summary>
public enum ListenerRole
{
    /// <summary>Token, introspection and revocation, with a client certificate (RFC 8705 <c>mtls_endpoint_aliases</c>); also the proxy-facing listener in Forwarded mode.</summary>
    Mtls,

    /// <summary>Discovery and JWKS only, no client certificate (RFC 8705 §5).</summary>
    Public,

    /// <summary>Health, metrics, CRL publication.</summary>
    Management,
}

/// <summary>The connection feature that records which listener accepted a connection.</summary>
public sealed record ListenerRoleFeature(ListenerRole Role);

public static class ListenerRoles
{
    /// <summary>
    /// Marks every connection <paramref name="listen"/> accepts with <paramref name="role"/>. Decided by the socket the
    /// connection came in on, never by anything the client sends (Host, ports in headers).
    /// </summary>
    public static void Tag(ListenOptions listen, ListenerRole role)
    {
        var feature = new ListenerRoleFeature(role);
        listen.Use(next => connection =>
        {
            connection.Features.Set(feature);
            return next(connection);
        });
    }

    /// <summary>The role of the listener the request came in on; null when the request did not come through one of ours.</summary>
    public static ListenerRole? ListenerRole(this HttpContext context) => context.Features.Get<ListenerRoleFeature>()?.Role;

    /// <summary>Every request but the management listener's (health probes, metric scrapes, CRL downloads).</summary>
    public static bool OutsideManagement(HttpContext context) => context.ListenerRole() != Hosting.ListenerRole.Management;
}
