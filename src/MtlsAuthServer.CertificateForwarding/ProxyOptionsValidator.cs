using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace MtlsAuthServer.CertificateForwarding;

/// <summary>
/// Refuses to start with a forwarding set-up that could be abused or cannot work; every message names the key.
/// Forwarded mode without trusted proxies would either trust nobody (useless) or tempt an operator towards trusting
/// everybody — the forged-header hole (SECURITY-NOTES, first trap); a /0 range is that hole unless a proxy certificate is pinned.
/// </summary>
internal sealed class ProxyOptionsValidator : IValidateOptions<ProxyOptions>
{
    private const string Key = ProxyOptions.Section;

    public ValidateOptionsResult Validate(string? name, ProxyOptions options)
    {
        if (options.Mode != ProxyMode.Forwarded)
        {
            return ValidateOptionsResult.Success;
        }

        var errors = new List<string>();
        if (options.TrustedProxies.Count == 0)
        {
            errors.Add($"{Key}:TrustedProxies: at least one proxy address or CIDR range is required when {Key}:Mode is Forwarded.");
        }

        for (var i = 0; i < options.TrustedProxies.Count; i++)
        {
            if (!TrustedProxyAddresses.TryParseEntry(options.TrustedProxies[i], out var network, out var problem))
            {
                errors.Add($"{Key}:TrustedProxies:{i}: {problem}.");
            }
            else if (network.PrefixLength == 0 && options.RequiredProxyCertificateThumbprints.Count == 0)
            {
                var family = network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? "IPv4" : "IPv6";
                errors.Add($"{Key}:TrustedProxies:{i}: '{options.TrustedProxies[i]}' trusts every {family} sender to forward any certificate; "
                    + $"list the proxies' addresses, or pin the proxy certificate with {Key}:RequiredProxyCertificateThumbprints.");
            }
        }

        for (var i = 0; i < options.RequiredProxyCertificateThumbprints.Count; i++)
        {
            if (!ProxyCertificatePins.TryParseThumbprint(options.RequiredProxyCertificateThumbprints[i], out _))
            {
                errors.Add($"{Key}:RequiredProxyCertificateThumbprints:{i}: {ProxyCertificatePins.Problem}.");
            }
        }

        if (!IsToken(options.EffectiveHeaderName))
        {
            errors.Add($"{Key}:HeaderName: '{options.HeaderName}' is not a valid HTTP header name.");
        }

        if (!string.IsNullOrWhiteSpace(options.ChainHeaderName) && options.HeaderFormat != ForwardedCertificateFormat.Rfc9440)
        {
            errors.Add($"{Key}:ChainHeaderName: only the Rfc9440 format has a separate chain header (HeaderFormat is {options.HeaderFormat}).");
        }
        else if (options.EffectiveChainHeaderName is { } chainHeader
            && (!IsToken(chainHeader) || string.Equals(chainHeader, options.EffectiveHeaderName, StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add($"{Key}:ChainHeaderName: '{chainHeader}' must be a valid HTTP header name different from {Key}:HeaderName.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>RFC 9110 §5.1: a field name is a token.</summary>
    private static bool IsToken(string value) =>
        value.Length > 0 && value.All(c => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
            || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal));
}
