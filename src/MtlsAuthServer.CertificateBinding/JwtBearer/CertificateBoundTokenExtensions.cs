using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MtlsAuthServer.CertificateBinding.JwtBearer;

public static class CertificateBoundTokenExtensions
{
    /// <summary>
    /// RFC 8705 §3 for a JwtBearer scheme, in one line: <c>.AddJwtBearer(...).RequireCertificateBoundTokens()</c>.
    /// A validated token is refused (<c>401</c>, <c>error="invalid_token"</c>) unless its <c>cnf.x5t#S256</c> equals
    /// the SHA-256 thumbprint of the client certificate on the connection (<see cref="Microsoft.AspNetCore.Http.ConnectionInfo.ClientCertificate"/>),
    /// or when it has no <c>cnf</c>. The listener must request client certificates, and whoever terminates TLS
    /// (Kestrel, or a verified proxy that forwards the certificate onto the connection) must have checked the
    /// certificate's chain: this check proves possession of the bound certificate, not that the certificate is trusted.
    /// Or compose it with a certificate scheme (<see cref="CertificateBindingOptions.CertificateScheme"/>), which then
    /// has to authenticate that certificate for the token to be accepted.
    /// </summary>
    public static AuthenticationBuilder RequireCertificateBoundTokens(
        this AuthenticationBuilder builder, string authenticationScheme = JwtBearerDefaults.AuthenticationScheme, Action<CertificateBindingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new CertificateBindingOptions();
        configure?.Invoke(options);
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<CertificateBindingDiagnostics>();
        builder.Services.AddSingleton<IPostConfigureOptions<JwtBearerOptions>>(new CertificateBindingPostConfigure(authenticationScheme, options));
        // Builds the scheme's options at start-up, so a configuration the check can't guard stops the host there.
        builder.Services.AddOptions<JwtBearerOptions>(authenticationScheme).ValidateOnStart();
        if (options.CertificateScheme is { } certificateScheme)
        {
            builder.Services.AddSingleton<IValidateOptions<JwtBearerOptions>>(services =>
                new CertificateSchemeRegistered(authenticationScheme, certificateScheme, services.GetRequiredService<IOptions<AuthenticationOptions>>()));
        }
        return builder;
    }
}
