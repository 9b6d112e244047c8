using System.Net;
using System.Net.Sockets;

namespace MtlsAuthServer.Tests.Infrastructure;

/// <summary>An unused loopback port, found by letting the OS pick one; never a fixed number.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
