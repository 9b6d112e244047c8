using Microsoft.Extensions.Options;
using MtlsAuthServer.Hosting;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// The URLs tokens and discovery name, from validated configuration (<see cref="TokenOptionsValidator"/> checks
/// them): the issuer (<c>Tokens:Issuer</c>, by default the public listener) and the base of the OAuth endpoints'
/// mTLS aliases (<c>Listeners:MtlsPublicBaseUrl</c>, by default the mTLS listener).
/// </summary>
public sealed class ServerUrls(IOptions<TokenOptions> tokens, IOptions<ListenerOptions> listeners)
{
    public Uri Issuer { get; } = Base(IssuerUrl(tokens.Value, listeners.Value));

    public Uri MtlsBase { get; } = Base(MtlsBaseUrl(listeners.Value));

    public static string IssuerUrl(TokenOptions tokens, ListenerOptions listeners) => tokens.Issuer ?? listeners.Public;

    public static string MtlsBaseUrl(ListenerOptions listeners) => listeners.MtlsPublicBaseUrl ?? listeners.Mtls;

    /// <summary>With a trailing slash, so relative endpoint paths resolve below it rather than replace its last segment.</summary>
    public static Uri Base(string url) => new(url.EndsWith('/') ? url : url + "/", UriKind.Absolute);
}
