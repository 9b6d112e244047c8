using System.Net;

namespace MtlsAuthServer.CertificateForwarding;

/// <summary>The parsed <c>Proxy:TrustedProxies</c>: single addresses and CIDR ranges, matched against the TCP peer.</summary>
internal sealed class TrustedProxyAddresses
{
    private readonly IReadOnlyList<IPNetwork> _networks;

    private TrustedProxyAddresses(IReadOnlyList<IPNetwork> networks) => _networks = networks;

    public IReadOnlyList<IPNetwork> Networks => _networks;

    /// <summary>Parses every entry; throws naming the configuration key of the first bad one.</summary>
    public static TrustedProxyAddresses Parse(IReadOnlyList<string> entries)
    {
        var networks = new List<IPNetwork>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            networks.Add(TryParseEntry(entries[i], out var network, out var problem)
                ? network
                : throw new InvalidOperationException($"{ProxyOptions.Section}:TrustedProxies:{i}: {problem}"));
        }

        return new TrustedProxyAddresses(networks);
    }

    /// <summary>
    /// One entry: an address (a /32 or /128 network) or a canonical CIDR range. A range whose address has host bits
    /// set (<c>10.0.0.1/8</c>) is refused rather than silently widened or narrowed.
    /// </summary>
    public static bool TryParseEntry(string? entry, out IPNetwork network, out string problem)
    {
        network = default;
        var text = entry?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            problem = "an empty entry";
            return false;
        }

        if (!text.Contains('/', StringComparison.Ordinal))
        {
            if (IPAddress.TryParse(text, out var address))
            {
                address = Normalize(address);
                network = new IPNetwork(address, address.GetAddressBytes().Length * 8);
                problem = string.Empty;
                return true;
            }

            problem = $"'{text}' is not an IP address or a CIDR range";
            return false;
        }

        // .NET masks host bits silently (10.0.0.1/8 becomes 10.0.0.0/8): require the canonical form instead, so the
        // configuration says exactly what is trusted.
        if (IPNetwork.TryParse(text, out network) && IPAddress.TryParse(text[..text.IndexOf('/', StringComparison.Ordinal)], out var written)
            && written.Equals(network.BaseAddress))
        {
            problem = string.Empty;
            return true;
        }

        problem = $"'{text}' is not a CIDR range (the address must have no bits set beyond the prefix, e.g. 10.0.0.0/8)";
        return false;
    }

    /// <summary>Whether <paramref name="peer"/> is a trusted proxy. An unknown peer (no IP connection) never is.</summary>
    public bool Contains(IPAddress? peer)
    {
        if (peer is null)
        {
            return false;
        }

        peer = Normalize(peer);
        foreach (var network in _networks)
        {
            if (network.Contains(peer))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A dual-stack socket reports IPv4 peers as <c>::ffff:a.b.c.d</c>; compare them as IPv4.</summary>
    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
