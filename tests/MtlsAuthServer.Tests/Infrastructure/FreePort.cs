using System.Net;
using System.Net.Sockets;

namespace MtlsAuthServer.Tests.Infrastructure;

/// <summary>
/// An unused loopback port; never a fixed number. Picked at random <b>below</b> the OS's ephemeral range and checked by
/// binding it: a port from the ephemeral range (what binding port 0 returns) can be handed to any outgoing connection
/// of a parallel test in the moment between picking it and Kestrel or nginx binding it ("address already in use").
/// Falls back to the OS's choice when the ephemeral range leaves no room below it. A port is handed out once per test
/// run: the probe is released at once, so two tests in parallel could otherwise pick the same port before either binds.
/// </summary>
public static class FreePort
{
    private const int Lowest = 10_000;
    private static readonly int EphemeralStart = ReadEphemeralStart();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, byte> HandedOut = new();

    public static int Next()
    {
        for (var attempt = 0; attempt < 50 && EphemeralStart - Lowest > 1_000; attempt++)
        {
            var candidate = Random.Shared.Next(Lowest, EphemeralStart);
            if (!HandedOut.TryAdd(candidate, 0))
            {
                continue;
            }

            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, candidate);
                probe.Start();
                return candidate;
            }
            catch (SocketException)
            {
            }
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Linux: <c>/proc/sys/net/ipv4/ip_local_port_range</c>; elsewhere the IANA dynamic range (49152).</summary>
    private static int ReadEphemeralStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 49_152;
        }
    }
}
