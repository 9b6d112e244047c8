namespace MtlsAuthServer.Registration;

/// <summary>
/// Why a registration request (RFC 7591) or a registration management request (RFC 7592) was refused. The code is
/// stable (event 4903, the metric's <c>reason</c> tag, docs/rejection-reasons.md); the client sees only the OAuth error.
/// </summary>
public enum RegistrationRefusal
{
    /// <summary>No initial access token and no client certificate from a registration CA.</summary>
    NoRegistrationCredential,
    InitialAccessTokenInvalid,
    RegistrationCertificateUntrusted,
    RegistrationTokenInvalid,
    RegistrationCertificateMismatch,
    InvalidClientMetadata,
    MalformedRegistrationRequest,
    RegistrationBodyTooLarge,
    RegistrationRateLimited,
}

public static class RegistrationRefusalCodes
{
    public static string Code(this RegistrationRefusal refusal) => refusal switch
    {
        RegistrationRefusal.NoRegistrationCredential => "no_registration_credential",
        RegistrationRefusal.InitialAccessTokenInvalid => "initial_access_token_invalid",
        RegistrationRefusal.RegistrationCertificateUntrusted => "registration_certificate_untrusted",
        RegistrationRefusal.RegistrationTokenInvalid => "registration_token_invalid",
        RegistrationRefusal.RegistrationCertificateMismatch => "registration_certificate_mismatch",
        RegistrationRefusal.InvalidClientMetadata => "invalid_client_metadata",
        RegistrationRefusal.MalformedRegistrationRequest => "malformed_registration_request",
        RegistrationRefusal.RegistrationBodyTooLarge => "registration_body_too_large",
        RegistrationRefusal.RegistrationRateLimited => "registration_rate_limited",
        _ => "unknown",
    };
}
