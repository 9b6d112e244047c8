namespace MtlsAuthServer.CertificateForwarding;

/// <summary>What the forwarding middleware decided about a request's client certificate (Forwarded mode only).</summary>
public enum ForwardingOutcome
{
    /// <summary>A trusted proxy forwarded a well-formed certificate; it is now the request's client certificate.</summary>
    Forwarded,

    /// <summary>A trusted proxy forwarded no certificate: the request has none (the proxy's own certificate never counts).</summary>
    Absent,

    /// <summary>A trusted proxy forwarded a header that is not a usable certificate: the request has none.</summary>
    Invalid,

    /// <summary>A sender that is not a trusted proxy sent the header: it was ignored.</summary>
    UntrustedSender,

    /// <summary>A sender that is not a trusted proxy presented its own TLS certificate, which Forwarded mode ignores.</summary>
    DirectCertificateIgnored,

    /// <summary>A sender that is not a trusted proxy, without a forwarding header: its own TLS certificate (if any, and allowed) stands.</summary>
    Direct,
}
