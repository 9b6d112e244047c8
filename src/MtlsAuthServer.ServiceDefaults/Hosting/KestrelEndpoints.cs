using System.Net;
using System.Net.Security;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace MtlsAuthServer.ServiceDefaults.Hosting;

/// <summary>Binds a configured listener URL to Kestrel, the same way in every host.</summary>
public static class KestrelEndpoints
{
    /// <summary>The protocols every HTTPS listener offers (ALPN); HTTP/2 first.</summary>
    public static readonly List<SslApplicationProtocol> ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];

    /// <summary>
    /// Listens on <paramref name="url"/> (<c>https://localhost:8443</c>, <c>https://*:8443</c>, <c>https://127.0.0.1:0</c>,
    /// <c>https://[::1]:8443</c>) with HTTP/1.1 and HTTP/2 unless <paramref name="configure"/> says otherwise. Any other
    /// host name is refused: a listener binds addresses, and a name would resolve to whatever DNS says at start-up.
    /// Throws <see cref="InvalidDataException"/> naming <paramref name="key"/>.
    /// </summary>
    public static void Listen(KestrelServerOptions kestrel, string? url, string key, Action<ListenOptions> configure, bool requireHttps = false)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        ArgumentNullException.ThrowIfNull(configure);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Port < 0)
        {
            throw new InvalidDataException($"{key}: '{url}' is not an absolute URL with a port.");
        }

        if (requireHttps && uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidDataException($"{key}: '{url}' is not an absolute https URL.");
        }

        void Configure(ListenOptions listen)
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            configure(listen);
        }

        switch (uri.Host)
        {
            case "localhost":
                kestrel.ListenLocalhost(uri.Port, Configure);
                break;
            case "*" or "+" or "0.0.0.0":
                kestrel.ListenAnyIP(uri.Port, Configure);
                break;
            default:
                if (!IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address))
                {
                    throw new InvalidDataException($"{key}: host '{uri.Host}' must be localhost, an IP address or '*'.");
                }

                kestrel.Listen(address, uri.Port, Configure);
                break;
        }
    }
}
