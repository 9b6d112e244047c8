using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.ServiceDefaults.Tls;

public static class Bcp195CipherSuites
{
    /// <summary>
    /// Goes after <c>UseHttps</c>: closes a connection whose handshake settled on a suite outside BCP 195 before any HTTP is
    /// read (<see cref="TlsPolicy.IsAllowed"/>; enforced here rather than with CipherSuitesPolicy, which turns off TLS
    /// resumption on Linux).
    /// </summary>
    public static ListenOptions RefuseSuitesOutsideBcp195(this ListenOptions listen)
    {
        listen.Use(next => connection =>
            TlsPolicy.IsAllowed(connection.Features.Get<ITlsHandshakeFeature>()?.NegotiatedCipherSuite) ? next(connection) : Task.CompletedTask);
        return listen;
    }
}
