using System.Net;
using System.Net.Sockets;

namespace MtlsAuthServer.Tests.Revocation;

internal static class FreePort
{
    /// <summary>A loopback port nothing listens on right now (the OS picks it; we release it at once).</summary>
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
