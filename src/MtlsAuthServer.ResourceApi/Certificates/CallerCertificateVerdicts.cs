using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Pki;
using MtlsAuthServer.ResourceApi.Diagnostics;

namespace MtlsAuthServer.ResourceApi.Certificates;

/// <summary>
/// The certificate handler's verdict cache (<see cref="CertificateValidationCache"/>, bounded, sliding, never past
/// notAfter) with three rules on top. Only successes are stored: the package would also keep failures, keyed by the
/// thumbprint of any certificate an attacker presents, and let a flood of them evict the callers' verdicts. A stored
/// success is used only while the certificate is valid by the app's clock and skew, so the time check still runs on
/// every request. And a certificate that does not name a configured CA as issuer is refused here, before the handler
/// builds a chain that could download what its AIA extension points to (see <see cref="TrustBundle.NamesConfiguredIssuer"/>).
/// </summary>
public sealed class CallerCertificateVerdicts(IOptions<CertificateValidationCacheOptions> options, TrustBundle anchors, CallerCertificateRules rules)
    : ICertificateValidationCache
{
    private readonly CertificateValidationCache _inner = new(options);

    public AuthenticateResult? Get(HttpContext context, X509Certificate2 certificate)
    {
        // Only validated certificates are stored, so a hit needs no issuer gate: the time check alone, per request.
        if (_inner.Get(context, certificate) is { } verdict)
        {
            return rules.Validity(certificate) is null ? verdict : null;
        }

        return anchors.NamesConfiguredIssuer(certificate)
            ? null
            : AuthenticateResult.Fail(new CallerCertificateRejectedException(TokenRejectionReason.ChainUntrusted,
                $"the certificate's issuer '{certificate.Issuer}' is not a configured CA (nothing was fetched)"));
    }

    public void Put(HttpContext context, X509Certificate2 certificate, AuthenticateResult result)
    {
        if (result.Succeeded)
        {
            _inner.Put(context, certificate, result);
        }
    }
}
