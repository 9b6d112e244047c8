using Microsoft.AspNetCore.Http;

namespace MtlsAuthServer.CertificateForwarding.Parsing;

/// <summary>Reads a forwarded client certificate in one proxy's header format. Never throws on hostile input.</summary>
internal interface IForwardedCertificateParser
{
    /// <summary>The headers this format uses; the middleware removes them from every request after reading.</summary>
    IReadOnlyList<string> HeaderNames { get; }

    ForwardedCertificateParseResult Parse(IHeaderDictionary headers);
}
