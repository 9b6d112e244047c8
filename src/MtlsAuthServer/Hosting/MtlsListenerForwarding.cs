using MtlsAuthServer.CertificateForwarding;

namespace MtlsAuthServer.Hosting;

/// <summary>
/// Forwarded mode: a client certificate is read from the proxy's header only on the mTLS listener, the one the proxy
/// forwards the OAuth endpoints to. On the public listener a client could put anything in that header and an
/// unconfigured proxy would pass it on, so there it is ignored (and logged, event 4100) whoever sends it.
/// </summary>
public sealed class MtlsListenerForwarding : IForwardingListenerScope
{
    public string? Refuses(HttpContext context) => context.ListenerRole() switch
    {
        ListenerRole.Mtls => null,
        { } role => $"the {role} listener does not accept forwarded certificates (only Listeners:Mtls does)",
        null => "the request came in on no known listener",
    };
}
