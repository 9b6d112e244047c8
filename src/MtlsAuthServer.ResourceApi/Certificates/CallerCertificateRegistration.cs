using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MtlsAuthServer.ServiceDefaults.Hosting;

namespace MtlsAuthServer.ResourceApi.Certificates;

public static class CallerCertificateRegistration
{
    /// <summary>The authentication scheme that judges the caller's certificate; the token check requires its success.</summary>
    public const string Scheme = CertificateAuthenticationDefaults.AuthenticationScheme;

    /// <summary>
    /// Trust anchors (read and checked now, so a bad path stops the start) and the standard certificate handler on
    /// them: custom root trust, the configured intermediates, client-authentication use, CA-issued certificates only.
    /// Revocation is not checked here (<c>RevocationMode.NoCheck</c>, ADR 0007): the token server checks it before it
    /// binds a token, and the token lives minutes. Validity runs in our rules, with the configured skew.
    /// </summary>
    public static WebApplicationBuilder AddCallerCertificateAuthentication(this WebApplicationBuilder builder)
    {
        var anchors = TrustAnchorOptions.Read(builder).Load();

        var services = builder.Services;
        services.AddOptions<ClientCertificateOptions>().BindConfiguration(ClientCertificateOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(anchors);
        services.AddSingleton<CallerCertificateRules>();
        services.AddSingleton<CallerCertificateEvents>();
        services.AddAuthentication()
            .AddCertificate(Scheme, options =>
            {
                options.AllowedCertificateTypes = CertificateTypes.Chained;
                options.ChainTrustValidationMode = X509ChainTrustMode.CustomRootTrust;
                options.CustomTrustStore.AddRange(anchors.Anchors);
                options.AdditionalChainCertificates.AddRange(anchors.Intermediates);
                options.ValidateCertificateUse = true;
                options.ValidateValidityPeriod = false;
                options.RevocationMode = X509RevocationMode.NoCheck;
                options.EventsType = typeof(CallerCertificateEvents);
            })
            .AddCertificateCache(cache => cache.CacheSize = 4096);
        // The package's cache, behind our rules for what it may store and answer (see CallerCertificateVerdicts).
        services.Replace(ServiceDescriptor.Singleton<ICertificateValidationCache, CallerCertificateVerdicts>());
        return builder;
    }
}
