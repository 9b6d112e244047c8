using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Pki;
using MtlsAuthServer.ServiceDefaults.Hosting;

namespace MtlsAuthServer.ResourceApi.Certificates;

public static class CallerCertificateRegistration
{
    /// <summary>The authentication scheme that judges the caller's certificate; the token check requires its success.</summary>
    public const string Scheme = CertificateAuthenticationDefaults.AuthenticationScheme;

    /// <summary>
    /// Trust anchors (validated at start-up, so a bad path stops the start naming the key) and the standard
    /// certificate handler on them: custom root trust, the configured intermediates, client-authentication use,
    /// CA-issued certificates only. Revocation is not checked here (<c>RevocationMode.NoCheck</c>, ADR 0007): the token
    /// server checks it before it binds a token, and the token lives minutes. Validity runs in our rules, with the
    /// configured skew.
    /// </summary>
    public static WebApplicationBuilder AddCallerCertificateAuthentication(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        TrustAnchorOptions.Bind(services).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TrustAnchorOptions>, TrustAnchorOptionsValidator>();
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<TrustAnchorOptions>>().Value.Load());
        services.AddOptions<ClientCertificateOptions>().BindConfiguration(ClientCertificateOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CallerCertificateRules>();
        services.AddSingleton<CallerCertificateEvents>();
        services.AddAuthentication()
            .AddCertificate(Scheme, options =>
            {
                options.AllowedCertificateTypes = CertificateTypes.Chained;
                options.ChainTrustValidationMode = X509ChainTrustMode.CustomRootTrust;
                options.ValidateCertificateUse = true;
                options.ValidateValidityPeriod = false;
                options.RevocationMode = X509RevocationMode.NoCheck;
                options.EventsType = typeof(CallerCertificateEvents);
            })
            .AddCertificateCache(cache => cache.CacheSize = 4096);
        // The configured anchors, from the validated section.
        services.AddOptions<CertificateAuthenticationOptions>(Scheme).Configure<TrustBundle>((options, anchors) =>
        {
            options.CustomTrustStore.AddRange(anchors.Anchors);
            options.AdditionalChainCertificates.AddRange(anchors.Intermediates);
        });
        // The package's cache, behind our rules for what it may store and answer (see CallerCertificateVerdicts).
        services.Replace(ServiceDescriptor.Singleton<ICertificateValidationCache, CallerCertificateVerdicts>());
        return builder;
    }
}
