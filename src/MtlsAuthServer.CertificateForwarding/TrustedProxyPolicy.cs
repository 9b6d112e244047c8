using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace MtlsAuthServer.CertificateForwarding;

/// <summary>The verdict on a sender: whether it may forward a client certificate, and if not, why (for the security log).</summary>
internal readonly record struct ProxyTrust(bool IsTrusted, string Reason);

/// <summary>
/// Decides whether the immediate TCP peer of a request is a trusted proxy: its address is in
/// <c>Proxy:TrustedProxies</c> and, when <c>Proxy:RequiredProxyCertificateThumbprints</c> is set, it proved in its own
/// TLS handshake that it holds one of the pinned proxy certificates. Never consults <c>X-Forwarded-For</c> or any other
/// header: headers are what an untrusted sender controls.
/// </summary>
internal sealed class TrustedProxyPolicy(IOptions<ProxyOptions> options)
{
    private readonly TrustedProxyAddresses _addresses = TrustedProxyAddresses.Parse(options.Value.TrustedProxies);
    private readonly ProxyCertificatePins _pins = ProxyCertificatePins.Parse(options.Value.RequiredProxyCertificateThumbprints);

    public ProxyTrust Evaluate(IPAddress? peer, X509Certificate2? peerCertificate)
    {
        if (!_addresses.Contains(peer))
        {
            return new(false, $"sender {peer?.ToString() ?? "(no IP address)"} is not in {ProxyOptions.Section}:TrustedProxies");
        }

        if (!_pins.IsRequired)
        {
            return new(true, "trusted proxy address");
        }

        if (peerCertificate is null)
        {
            return new(false, $"sender {peer} presented no TLS client certificate; {ProxyOptions.Section}:RequiredProxyCertificateThumbprints requires one");
        }

        return _pins.Matches(peerCertificate)
            ? new(true, "trusted proxy address and pinned proxy certificate")
            : new(false, $"sender {peer} presented certificate x5t#S256 {X5tS256.Of(peerCertificate)}, "
                + $"which is not in {ProxyOptions.Section}:RequiredProxyCertificateThumbprints");
    }
}
