using MtlsAuthServer.CertificateForwarding;
using MtlsAuthServer.Diagnostics;

namespace MtlsAuthServer.Tokens;

/// <summary>Why a request reached a client-authenticated endpoint without a certificate, for the one rejection event.</summary>
public static class MissingCertificateReason
{
    public static (RejectionReason Reason, string Detail) Of(ForwardedClientCertificateFeature? forwarding) => forwarding?.Outcome switch
    {
        ForwardingOutcome.UntrustedSender => (RejectionReason.UntrustedForwardedCertificate, forwarding.Detail),
        ForwardingOutcome.Invalid => (RejectionReason.CertificateMalformed, forwarding.Detail),
        ForwardingOutcome.Absent or ForwardingOutcome.DirectCertificateIgnored or ForwardingOutcome.Direct
            => (RejectionReason.NoClientCertificate, forwarding.Detail),
        _ => (RejectionReason.NoClientCertificate, "the request carried no client certificate"),
    };
}
