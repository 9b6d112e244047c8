using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MtlsAuthServer.ResourceApi.Diagnostics;

/// <summary>
/// Maps a rejection decided inside OpenIddict validation to our reason code, by the stable message identifier
/// OpenIddict puts at the end of its error_uri (e.g. <c>.../errors/ID2019</c>). Introspection can only say
/// "inactive": the token server does not tell why (RFC 7662 §2.2), so expired, revoked, tampered or foreign
/// tokens all read <c>token_inactive</c> in that mode.
/// </summary>
public static class OpenIddictRejections
{
    public static TokenRejectionReason Classify(string? error, string? errorUri)
    {
        if (error == Errors.ServerError)
        {
            return TokenRejectionReason.TokenServerUnavailable;
        }

        var id = errorUri is { Length: > 0 } ? errorUri[(errorUri.LastIndexOf('/') + 1)..] : string.Empty;
        return id switch
        {
            "ID2019" or "ID2176" => TokenRejectionReason.TokenExpired,
            "ID2088" => TokenRejectionReason.IssuerInvalid,
            "ID2090" or "ID2091" => TokenRejectionReason.SignatureInvalid,
            "ID2093" or "ID2094" => TokenRejectionReason.AudienceInvalid,
            "ID2106" => TokenRejectionReason.TokenInactive,
            "ID2004" or "ID2089" => TokenRejectionReason.TokenMalformed,
            "ID2203" => TokenRejectionReason.NoClientCertificate,
            "ID2204" => TokenRejectionReason.BindingMismatch,
            _ => TokenRejectionReason.TokenInvalid,
        };
    }
}
