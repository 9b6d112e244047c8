using Microsoft.AspNetCore.Http;

namespace MtlsAuthServer.CertificateForwarding;

/// <summary>
/// Which requests may carry a forwarded client certificate at all, whoever sent them. An application with several
/// listeners accepts forwarded certificates only on the one its proxy forwards authenticated traffic to; on any other
/// (a public discovery listener, say) the header is ignored and logged even when it comes from the proxy's address,
/// since the proxy may be passing on what a client wrote there.
/// </summary>
public interface IForwardingListenerScope
{
    /// <returns>Null when <paramref name="context"/> may carry a forwarded certificate, else why not (for the security log).</returns>
    string? Refuses(HttpContext context);
}

/// <summary>The default: every request of the application may (one listener, or listeners that all face the proxy).</summary>
internal sealed class EveryListener : IForwardingListenerScope
{
    public string? Refuses(HttpContext context) => null;
}
