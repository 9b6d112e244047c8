using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace MtlsAuthServer.CertificateBinding.JwtBearer;

/// <summary>Stops the start when the certificate scheme the binding check relies on is not registered (it would 500 per request).</summary>
internal sealed class CertificateSchemeRegistered(string scheme, string certificateScheme, IOptions<AuthenticationOptions> authentication)
    : IValidateOptions<JwtBearerOptions>
{
    public ValidateOptionsResult Validate(string? name, JwtBearerOptions options) =>
        !string.Equals(name, scheme, StringComparison.Ordinal) || authentication.Value.SchemeMap.ContainsKey(certificateScheme)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"JwtBearer scheme '{scheme}': RequireCertificateBoundTokens() names certificate scheme '{certificateScheme}', which is not registered (AddCertificate(...)).");
}
