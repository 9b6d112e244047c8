using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication;
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
/// (fixed-time), and that certificate must be authenticated by the caller-certificate scheme (chain to our anchors and
/// our rules: OpenIddict compares thumbprints only). The scheme runs once per request, its verdict cached per certificate.
/// </summary>
public sealed class CertificateBindingEnforcer(CallerCertificateRules rules, IOptions<TokenValidationOptions> options)
{
    public const string ClientDescription = "The access token is not valid for this request.";

    public async ValueTask<TokenRejection?> CheckAsync(ClaimsPrincipal principal, X509Certificate2? certificate, HttpContext? http)
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

        if (http is null)
        {
            return new TokenRejection(TokenRejectionReason.NoClientCertificate, "the token arrived outside an HTTP request", clientId);
        }

        var result = await http.AuthenticateAsync(CallerCertificateRegistration.Scheme);
        if (result.Succeeded)
        {
            return null;
        }

        var rejection = rules.Classify(certificate, result.Failure ?? new CallerCertificateRejectedException("the certificate scheme gave no result"));
        return new TokenRejection(rejection.Reason, rejection.Detail, clientId);
    }
}
