namespace MtlsAuthServer.CertificateBinding;

/// <summary>Why a token was not accepted for the certificate of the connection it arrived on.</summary>
public enum BindingFailure
{
    /// <summary>The connection carried no client certificate, so there is nothing to bind to.</summary>
    NoClientCertificate,

    /// <summary>The token has no <c>cnf</c> claim where certificate-bound tokens are required.</summary>
    TokenNotBound,

    /// <summary>The <c>cnf</c> claim is not one JSON object with one base64url SHA-256 <c>x5t#S256</c> member.</summary>
    ConfirmationMalformed,

    /// <summary>The token is bound to another certificate than the one presented (replay of a copied token).</summary>
    BindingMismatch,

    /// <summary>The certificate scheme the binding check was composed with did not authenticate the connection's certificate.</summary>
    CertificateRejected,
}

public static class BindingFailureCodes
{
    /// <summary>The stable snake_case code used in logs and metrics.</summary>
    public static string Code(this BindingFailure failure) => failure switch
    {
        BindingFailure.NoClientCertificate => "no_client_certificate",
        BindingFailure.TokenNotBound => "token_not_bound",
        BindingFailure.ConfirmationMalformed => "cnf_malformed",
        BindingFailure.BindingMismatch => "binding_mismatch",
        BindingFailure.CertificateRejected => "certificate_rejected",
        _ => "unknown",
    };
}
