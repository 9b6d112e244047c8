namespace MtlsAuthServer.CertificateForwarding.Parsing;

internal static class ForwardedCertificateParsers
{
    /// <summary>The parser for <c>Proxy:HeaderFormat</c> with its effective header names and limits.</summary>
    public static IForwardedCertificateParser Create(ProxyOptions options)
    {
        var limits = new ForwardedHeaderLimits(options.MaxHeaderLength, PresentedCertificateChainFeature.MaxCertificates);
        return options.HeaderFormat switch
        {
            ForwardedCertificateFormat.Rfc9440 => new Rfc9440Parser(options.EffectiveHeaderName, options.EffectiveChainHeaderName!, limits),
            ForwardedCertificateFormat.EnvoyXfcc => new EnvoyXfccParser(options.EffectiveHeaderName, limits),
            _ => new NginxEscapedPemParser(options.EffectiveHeaderName, limits),
        };
    }
}
