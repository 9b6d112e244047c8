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
    /// <param name="builder">The authentication builder the JwtBearer scheme is registered on.</param>
    /// <param name="authenticationScheme">The JwtBearer scheme to guard; its settings are the <see cref="CertificateBindingOptions"/> of the same name.</param>
    /// <param name="configure">Configures that scheme's <see cref="CertificateBindingOptions"/> (also reachable as named options, e.g. from configuration).</param>
    public static AuthenticationBuilder RequireCertificateBoundTokens(
        this AuthenticationBuilder builder, string authenticationScheme = JwtBearerDefaults.AuthenticationScheme, Action<CertificateBindingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(authenticationScheme);
        var services = builder.Services;
        services.AddMetrics();
        services.TryAddSingleton<CertificateBindingDiagnostics>();
        services.Configure<CertificateBoundSchemes>(schemes => schemes.Names.Add(authenticationScheme));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<JwtBearerOptions>, CertificateBindingPostConfigure>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CertificateBindingOptions>, CertificateSchemeRegistered>());
        var binding = services.AddOptions<CertificateBindingOptions>(authenticationScheme).ValidateOnStart();
        if (configure is not null)
        {
            binding.Configure(configure);
        }

        // Builds the scheme's options at start-up, so a configuration the check can't guard stops the host there.
        services.AddOptions<JwtBearerOptions>(authenticationScheme).ValidateOnStart();
        return builder;
    }
}
