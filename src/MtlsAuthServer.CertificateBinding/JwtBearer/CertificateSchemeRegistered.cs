using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MtlsAuthServer.CertificateBinding.JwtBearer;

/// <summary>
/// Stops the start when the certificate scheme a JwtBearer scheme's binding check relies on
/// (<see cref="CertificateBindingOptions.CertificateScheme"/>) is not registered: it would fail every request instead.
/// </summary>
internal sealed class CertificateSchemeRegistered(IOptions<AuthenticationOptions> authentication) : IValidateOptions<CertificateBindingOptions>
{
    public ValidateOptionsResult Validate(string? name, CertificateBindingOptions options) =>
        options.CertificateScheme is not { } certificateScheme || authentication.Value.SchemeMap.ContainsKey(certificateScheme)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"JwtBearer scheme '{name}': RequireCertificateBoundTokens() names certificate scheme '{certificateScheme}', which is not registered (AddCertificate(...)).");
}
