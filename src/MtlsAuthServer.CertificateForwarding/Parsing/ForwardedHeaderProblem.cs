namespace MtlsAuthServer.CertificateForwarding.Parsing;

/// <summary>Why a forwarding header from a trusted proxy did not yield a certificate. Codes are stable (logs, metrics).</summary>
internal enum ForwardedHeaderProblem
{
    None,

    /// <summary>Longer than <c>Proxy:MaxHeaderLength</c>; refused before any decoding.</summary>
    Oversized,

    /// <summary>The header arrived more than once, or one value holds several where the format allows one.</summary>
    MultipleValues,

    /// <summary>Still percent-encoded after one URL decoding: encoded twice. Never decoded a second time.</summary>
    DoubleEncoded,

    /// <summary>Not the format's encoding: bad percent escapes, not PEM, not a structured-field byte sequence, bad base64.</summary>
    InvalidEncoding,

    /// <summary>The bytes are not one DER X.509 certificate.</summary>
    InvalidCertificate,

    /// <summary>More intermediates than <c>PresentedCertificateChainFeature.MaxCertificates</c>.</summary>
    ChainTooLong,

    /// <summary>A chain arrived without the certificate it belongs to (RFC 9440 §2.3).</summary>
    ChainWithoutCertificate,

    /// <summary>Envoy XFCC: the element's <c>Hash=</c> is not the SHA-256 of its <c>Cert=</c>.</summary>
    HashMismatch,

    /// <summary>Envoy XFCC: the element carries no <c>Cert=</c> (a <c>Hash=</c> alone is not a certificate).</summary>
    MissingCertificate,

    /// <summary>Envoy XFCC: the element list or key/value syntax is broken.</summary>
    InvalidSyntax,
}

internal static class ForwardedHeaderProblemCodes
{
    public static string Code(this ForwardedHeaderProblem problem) => problem switch
    {
        ForwardedHeaderProblem.None => "none",
        ForwardedHeaderProblem.Oversized => "oversized",
        ForwardedHeaderProblem.MultipleValues => "multiple_values",
        ForwardedHeaderProblem.DoubleEncoded => "double_encoded",
        ForwardedHeaderProblem.InvalidEncoding => "invalid_encoding",
        ForwardedHeaderProblem.InvalidCertificate => "invalid_certificate",
        ForwardedHeaderProblem.ChainTooLong => "chain_too_long",
        ForwardedHeaderProblem.ChainWithoutCertificate => "chain_without_certificate",
        ForwardedHeaderProblem.HashMismatch => "hash_mismatch",
        ForwardedHeaderProblem.MissingCertificate => "missing_certificate",
        ForwardedHeaderProblem.InvalidSyntax => "invalid_syntax",
        _ => "unknown",
    };
}
