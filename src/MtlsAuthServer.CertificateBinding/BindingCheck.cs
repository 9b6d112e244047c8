namespace MtlsAuthServer.CertificateBinding;

/// <summary>
/// The outcome of <see cref="CertificateBindingVerifier.Verify"/>: success or a failure reason, with both thumbprints
/// for the log (never for the client: they tell an attacker nothing useful, but the client needs no detail).
/// </summary>
public sealed record BindingCheck(BindingFailure? Failure, string? BoundThumbprint, string? PresentedThumbprint)
{
    public bool Succeeded => Failure is null;

    /// <summary>True when the token carried a usable <c>x5t#S256</c> that matched the presented certificate.</summary>
    public bool IsBound => Succeeded && BoundThumbprint is not null;

    /// <summary>Set when the failure has more to say than its kind (e.g. why a certificate scheme refused).</summary>
    public string? FailureDetail { get; init; }

    /// <summary>A short explanation for the log; names no secret.</summary>
    public string Detail => FailureDetail ?? Failure switch
    {
        null => BoundThumbprint is null ? "unbound token accepted (binding not required)" : "token bound to the presented certificate",
        BindingFailure.NoClientCertificate => "the connection presented no client certificate",
        BindingFailure.TokenNotBound => "the token carries no cnf claim",
        BindingFailure.ConfirmationMalformed => "the cnf claim is not a single object with one base64url SHA-256 x5t#S256 value",
        BindingFailure.BindingMismatch => $"the token is bound to x5t#S256 {BoundThumbprint}, the connection presented {PresentedThumbprint}",
        BindingFailure.CertificateRejected => "the connection's certificate was not authenticated by the certificate scheme",
        _ => "unknown",
    };
}
