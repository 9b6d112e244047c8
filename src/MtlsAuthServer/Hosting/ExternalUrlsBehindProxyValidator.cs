using Microsoft.Extensions.Options;
using MtlsAuthServer.CertificateForwarding;
using MtlsAuthServer.Tokens;

namespace MtlsAuthServer.Hosting;

/// <summary>
/// Behind a proxy, the listener URLs are internal: discovery would send clients around the proxy (RFC 8414 metadata
/// and RFC 8705 §5 <c>mtls_endpoint_aliases</c> must name what clients can reach). Forwarded mode therefore requires
/// the externally visible URLs to be configured.
/// </summary>
public sealed class ExternalUrlsBehindProxyValidator(IOptions<ListenerOptions> listeners, IOptions<TokenOptions> tokens) : IValidateOptions<ProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ProxyOptions options)
    {
        if (options.Mode != ProxyMode.Forwarded)
        {
            return ValidateOptionsResult.Success;
        }

        var errors = new List<string>();
        Check(tokens.Value.Issuer, $"{TokenOptions.Section}:Issuer", "the proxy's public HTTPS URL (discovery, JWKS)", errors);
        Check(listeners.Value.MtlsPublicBaseUrl, $"{ListenerOptions.Section}:MtlsPublicBaseUrl", "the proxy's mTLS URL (token, introspection, revocation)", errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Check(string? url, string key, string meaning, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            errors.Add($"{key}: required when {ProxyOptions.Section}:Mode is Forwarded: {meaning}.");
        }
        else if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || uri.Host is "*" or "+")
        {
            errors.Add($"{key}: '{url}' must be an absolute https URL that clients reach: {meaning}.");
        }
    }
}
