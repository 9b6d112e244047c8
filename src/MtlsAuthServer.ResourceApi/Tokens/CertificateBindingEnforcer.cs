using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using MtlsAuthServer.CertificateBinding;
using MtlsAuthServer.ResourceApi.Certificates;
using MtlsAuthServer.ResourceApi.Diagnostics;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MtlsAuthServer.ResourceApi.Tokens;

/// <summary>
/// RFC 8705 §3 at this API, for both validation modes: the token must carry <c>cnf.x5t#S256</c> (OpenIddict would
/// otherwise accept it as a plain bearer token), it must equal the thumbprint of the certificate on this connection
/// (fixed-time), and that certificate must still chain to our anchors (OpenIddict compares thumbprints only).
/// </summary>
public sealed class CertificateBindingEnforcer(CallerCertificateValidator certificates, IOptions<TokenValidationOptions> options)
{
    public const string ClientDescription = "The access token is not valid for this request.";

    public TokenRejection? Check(ClaimsPrincipal principal, X509Certificate2? certificate)
    {
        var clientId = principal.GetClaim(Claims.ClientId) ?? principal.GetClaim(Claims.Subject);
        var confirmations = principal.GetClaims("cnf");
        var check = CertificateBindingVerifier.Verify(confirmations, certificate, options.Value.RequireCertificateBoundTokens);
        if (check.Failure is { } failure)
        {
            return new TokenRejection(failure.ToRejectionReason(), check.Detail, clientId);
        }

        if (!check.IsBound || certificate is null)
        {
            return null;
        }

        return certificates.Validate(certificate) is { } invalid ? new TokenRejection(invalid.Reason, invalid.Detail, clientId) : null;
    }
}
