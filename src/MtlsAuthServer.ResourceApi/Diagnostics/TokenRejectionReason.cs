using MtlsAuthServer.CertificateBinding;

namespace MtlsAuthServer.ResourceApi.Diagnostics;

/// <summary>
/// Why a request's access token was refused. The code is stable (logs, metrics, docs); the client only sees
/// <c>invalid_token</c> / <c>insufficient_scope</c> with a fixed description.
/// </summary>
public enum TokenRejectionReason
{
    TokenMissing,
    TokenMalformed,
    TokenExpired,
    SignatureInvalid,
    IssuerInvalid,
    AudienceInvalid,
    TokenInactive,
    TokenInvalid,
    NoClientCertificate,
    TokenNotBound,
    ConfirmationMalformed,
    BindingMismatch,
    ChainUntrusted,
    CertificateExpired,
    CertificateNotYetValid,
    NotEndEntity,
    ExtendedKeyUsageInvalid,
    InsufficientScope,
    TokenServerUnavailable,
    CertificateWeak,
    TokenServerRefused,
}

public static class TokenRejectionReasonCodes
{
    public static string Code(this TokenRejectionReason reason) => reason switch
    {
        TokenRejectionReason.TokenMissing => "token_missing",
        TokenRejectionReason.TokenMalformed => "token_malformed",
        TokenRejectionReason.TokenExpired => "token_expired",
        TokenRejectionReason.SignatureInvalid => "signature_invalid",
        TokenRejectionReason.IssuerInvalid => "issuer_invalid",
        TokenRejectionReason.AudienceInvalid => "audience_invalid",
        TokenRejectionReason.TokenInactive => "token_inactive",
        TokenRejectionReason.TokenInvalid => "token_invalid",
        TokenRejectionReason.NoClientCertificate => "no_client_certificate",
        TokenRejectionReason.TokenNotBound => "token_not_bound",
        TokenRejectionReason.ConfirmationMalformed => "cnf_malformed",
        TokenRejectionReason.BindingMismatch => "binding_mismatch",
        TokenRejectionReason.ChainUntrusted => "chain_untrusted",
        TokenRejectionReason.CertificateExpired => "certificate_expired",
        TokenRejectionReason.CertificateNotYetValid => "certificate_not_yet_valid",
        TokenRejectionReason.NotEndEntity => "not_end_entity",
        TokenRejectionReason.ExtendedKeyUsageInvalid => "eku_invalid",
        TokenRejectionReason.InsufficientScope => "insufficient_scope",
        TokenRejectionReason.TokenServerUnavailable => "token_server_unavailable",
        TokenRejectionReason.CertificateWeak => "certificate_weak",
        TokenRejectionReason.TokenServerRefused => "token_server_refused",
        _ => "unknown",
    };

    public static TokenRejectionReason ToRejectionReason(this BindingFailure failure) => failure switch
    {
        BindingFailure.NoClientCertificate => TokenRejectionReason.NoClientCertificate,
        BindingFailure.TokenNotBound => TokenRejectionReason.TokenNotBound,
        BindingFailure.ConfirmationMalformed => TokenRejectionReason.ConfirmationMalformed,
        BindingFailure.BindingMismatch => TokenRejectionReason.BindingMismatch,
        _ => TokenRejectionReason.TokenInvalid,
    };
}
