namespace MtlsAuthServer.CertificateForwarding;

/// <summary>How the proxy writes the client certificate into the request (<c>Proxy:HeaderFormat</c>).</summary>
public enum ForwardedCertificateFormat
{
    /// <summary>nginx <c>$ssl_client_escaped_cert</c>: the leaf as URL-encoded PEM; default header <c>X-SSL-Client-Cert</c>.</summary>
    NginxEscapedPem,

    /// <summary>
    /// RFC 9440: <c>Client-Cert</c> (a structured-field byte sequence of the DER) and optional <c>Client-Cert-Chain</c>
    /// (a list of byte sequences, the intermediates).
    /// </summary>
    Rfc9440,

    /// <summary>Envoy <c>x-forwarded-client-cert</c> (XFCC): <c>Cert=</c> URL-encoded PEM, optional <c>Chain=</c>; <c>Hash=</c> is only cross-checked.</summary>
    EnvoyXfcc,
}
