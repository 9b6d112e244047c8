using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MtlsAuthServer.CertificateForwarding.Parsing;

namespace MtlsAuthServer.CertificateForwarding;

/// <summary>
/// Forwarded mode: decides, per request, which client certificate the application sees.
/// <list type="bullet">
/// <item>From a trusted proxy (TCP peer in <c>Proxy:TrustedProxies</c>, plus the pinned proxy certificate when
/// configured): the forwarded certificate and intermediates, or none when the header is absent or unusable. The
/// proxy's own TLS certificate is never the client's.</item>
/// <item>From anyone else: the header is ignored and logged (4100); the sender's own TLS certificate is ignored too
/// (4102) unless <c>Proxy:AllowDirectClientCertificates</c>.</item>
/// </list>
/// The forwarded certificate is only parsed here; trust (chain, validity, usage, revocation, identity) is decided by the
/// application exactly as for a directly presented certificate. A proxy's "verified" flag is never read. The forwarding
/// headers are removed from the request, so nothing downstream can read them by mistake.
/// </summary>
internal sealed class ForwardedClientCertificateMiddleware(
    RequestDelegate next,
    TrustedProxyPolicy proxies,
    IForwardingListenerScope listeners,
    IForwardedCertificateParser parser,
    ForwardingMetrics metrics,
    IOptions<ProxyOptions> options,
    ILogger<ForwardedClientCertificateMiddleware> logger)
{
    private readonly bool _allowDirect = options.Value.AllowDirectClientCertificates;
    private readonly string _headerNames = string.Join(", ", parser.HeaderNames);

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        var headerSent = parser.HeaderNames.Any(headers.ContainsKey);
        var peer = context.Connection.RemoteIpAddress;
        // The connection's own TLS client certificate: the proxy's in re-encryption, the sender's otherwise.
        var peerCertificate = context.Features.Get<ITlsConnectionFeature>()?.ClientCertificate;
        var trust = listeners.Refuses(context) is { } refused ? new ProxyTrust(false, refused) : proxies.Evaluate(peer, peerCertificate);

        var feature = trust.IsTrusted
            ? FromTrustedProxy(context, peer)
            : FromUntrustedSender(context, peer, peerCertificate, headerSent, trust.Reason);

        foreach (var name in parser.HeaderNames)
        {
            headers.Remove(name);
        }

        context.Features.Set(feature);
        return next(context);
    }

    private ForwardedClientCertificateFeature FromTrustedProxy(HttpContext context, IPAddress? peer)
    {
        var sender = peer?.ToString() ?? "-";
        var result = parser.Parse(context.Request.Headers);
        switch (result.Status)
        {
            case ForwardedCertificateStatus.Parsed:
                var certificate = result.Certificate!;
                context.Response.RegisterForDispose(certificate);
                foreach (var intermediate in result.Chain)
                {
                    context.Response.RegisterForDispose(intermediate);
                }

                SetClientCertificate(context, certificate, new PresentedCertificateChainFeature(result.Chain));
                if (logger.IsEnabled(LogLevel.Debug))
                {
                    ForwardingLog.ForwardedCertificateAccepted(logger, sender, certificate.Subject, X5tS256.Of(certificate), result.Chain.Count);
                }

                metrics.Record(ForwardingOutcome.Forwarded);
                return new(ForwardingOutcome.Forwarded, peer, "certificate forwarded by a trusted proxy");

            case ForwardedCertificateStatus.Invalid:
                SetClientCertificate(context, null, PresentedCertificateChainFeature.Empty);
                ForwardingLog.ForwardedCertificateInvalid(logger, sender, result.Problem.Code(), context.Request.Method, Path(context), result.Detail);
                metrics.Record(ForwardingOutcome.Invalid, result.Problem);
                return new(ForwardingOutcome.Invalid, peer, $"the trusted proxy {sender} forwarded an unusable certificate ({result.Problem.Code()}): {result.Detail}");

            default:
                SetClientCertificate(context, null, PresentedCertificateChainFeature.Empty);
                metrics.Record(ForwardingOutcome.Absent);
                return new(ForwardingOutcome.Absent, peer, $"the trusted proxy {sender} forwarded no client certificate");
        }
    }

    private ForwardedClientCertificateFeature FromUntrustedSender(
        HttpContext context, IPAddress? peer, X509Certificate2? peerCertificate, bool headerSent, string reason)
    {
        var sender = peer?.ToString() ?? "-";
        var ignoreDirect = peerCertificate is not null && !_allowDirect;
        if (ignoreDirect)
        {
            SetClientCertificate(context, null, PresentedCertificateChainFeature.Empty);
        }

        if (headerSent)
        {
            ForwardingLog.UntrustedForwardedCertificate(logger, _headerNames, context.Request.Method, Path(context), sender, reason);
            metrics.Record(ForwardingOutcome.UntrustedSender);
            return new(ForwardingOutcome.UntrustedSender, peer, $"a forwarded-certificate header was ignored: {reason}");
        }

        if (ignoreDirect)
        {
            ForwardingLog.DirectClientCertificateIgnored(
                logger, peerCertificate!.Subject, X5tS256.Of(peerCertificate), sender, context.Request.Method, Path(context), reason);
            metrics.Record(ForwardingOutcome.DirectCertificateIgnored);
            return new(ForwardingOutcome.DirectCertificateIgnored, peer,
                $"a certificate presented directly was ignored ({ProxyOptions.Section}:Mode is Forwarded): {reason}");
        }

        if (peerCertificate is not null)
        {
            metrics.Record(ForwardingOutcome.Direct);
        }

        return new(ForwardingOutcome.Direct, peer, $"not sent through a trusted proxy: {reason}");
    }

    /// <summary>Per request: the forwarded certificate (or none) replaces the connection's, and so do the intermediates.</summary>
    private static void SetClientCertificate(HttpContext context, X509Certificate2? certificate, PresentedCertificateChainFeature chain)
    {
        context.Features.Set<ITlsConnectionFeature>(new ForwardedTlsConnectionFeature(certificate));
        context.Features.Set(chain);
    }

    private static string Path(HttpContext context) => context.Request.Path.Value is { Length: <= 200 } path ? path : "(long path)";
}
