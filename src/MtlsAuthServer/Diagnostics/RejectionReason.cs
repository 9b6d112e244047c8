namespace MtlsAuthServer.Diagnostics;

/// <summary>
/// Why a client was not authenticated. The code is stable (logs, metrics, docs/rejection-reasons.md); the
/// client only ever sees the OAuth error, never the reason.
/// </summary>
public enum RejectionReason
{
    NoClientCertificate,
    UnknownClient,
    ClientDisabled,
    AuthenticationMethodNotAllowed,
    AuthenticationMethodMismatch,
    CertificateMalformed,
    ChainUntrusted,
    ChainInvalid,
    CertificateExpired,
    CertificateNotYetValid,
    NotEndEntity,
    KeyUsageInvalid,
    ExtendedKeyUsageInvalid,
    CertificateRevoked,
    RevocationUnknown,
    IdentityMismatch,
    SelfSignedCertificateNotRegistered,
    UntrustedForwardedCertificate,
    ProtocolRule,
    WeakCertificate,
}

public static class RejectionReasonCodes
{
    /// <summary>The snake_case code used in logs, metrics and documentation.</summary>
    public static string Code(this RejectionReason reason) => reason switch
    {
        RejectionReason.NoClientCertificate => "no_client_certificate",
        RejectionReason.UnknownClient => "unknown_client",
        RejectionReason.ClientDisabled => "client_disabled",
        RejectionReason.AuthenticationMethodNotAllowed => "auth_method_not_allowed",
        RejectionReason.AuthenticationMethodMismatch => "auth_method_mismatch",
        RejectionReason.CertificateMalformed => "certificate_malformed",
        RejectionReason.ChainUntrusted => "chain_untrusted",
        RejectionReason.ChainInvalid => "chain_invalid",
        RejectionReason.CertificateExpired => "certificate_expired",
        RejectionReason.CertificateNotYetValid => "certificate_not_yet_valid",
        RejectionReason.NotEndEntity => "not_end_entity",
        RejectionReason.KeyUsageInvalid => "key_usage_invalid",
        RejectionReason.ExtendedKeyUsageInvalid => "eku_invalid",
        RejectionReason.CertificateRevoked => "certificate_revoked",
        RejectionReason.RevocationUnknown => "revocation_unknown",
        RejectionReason.IdentityMismatch => "identity_mismatch",
        RejectionReason.SelfSignedCertificateNotRegistered => "self_signed_not_registered",
        RejectionReason.UntrustedForwardedCertificate => "untrusted_forwarded_certificate",
        RejectionReason.ProtocolRule => "protocol_rule",
        RejectionReason.WeakCertificate => "certificate_weak",
        _ => "unknown",
    };
}
