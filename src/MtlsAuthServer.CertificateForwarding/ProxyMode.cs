namespace MtlsAuthServer.CertificateForwarding;

/// <summary>How client certificates reach the application (<c>Proxy:Mode</c>).</summary>
public enum ProxyMode
{
    /// <summary>Passthrough (default): the application terminates TLS itself; forwarding headers mean nothing and are not read.</summary>
    None,

    /// <summary>
    /// Edge termination or re-encryption: a proxy terminates the client's TLS and forwards its certificate in a header.
    /// The header is believed only from a trusted proxy (<see cref="ProxyOptions.TrustedProxies"/>).
    /// </summary>
    Forwarded,
}
