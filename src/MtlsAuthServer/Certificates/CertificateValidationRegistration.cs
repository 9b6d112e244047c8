using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Certificates.Revocation;
using MtlsAuthServer.Diagnostics;
using MtlsAuthServer.Hosting;
using MtlsAuthServer.ServiceDefaults.Hosting;

namespace MtlsAuthServer.Certificates;

public static class CertificateValidationRegistration
{
    /// <summary>Chain policy, revocation (CRL/OCSP fetch and cache), the validator and its audit trail.</summary>
    public static WebApplicationBuilder AddClientCertificateValidation(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        TrustAnchorOptions.Bind(services).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TrustAnchorOptions>, TrustAnchorOptionsValidator>();
        // Loaded once from the validated bundles; hot reload replaces the material, never the provider.
        services.AddSingleton(provider => new TrustMaterialProvider(provider.GetRequiredService<IOptions<TrustAnchorOptions>>().Value.Load()));
        services.AddSection<ClientCertificateOptions>(ClientCertificateOptions.Section);
        services.AddSingleton<IValidateOptions<ClientCertificateOptions>, ClientCertificateOptionsValidator>();
        services.AddSection<RevocationOptions>(RevocationOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ClientChainPolicyFactory>();
        services.AddSingleton<ChainBuildCache>();
        services.AddSingleton<StaticCheckMemo>();
        services.AddSection<PresentedChainCacheOptions>(PresentedChainCacheOptions.Section);
        services.AddSingleton<PresentedChainCache>();
        services.AddSingleton<CrlCache>();
        services.AddSingleton<OcspCache>();
        services.AddSingleton<OfflineCrlStore>();
        services.AddSingleton<RevocationHttpFetcher>();
        services.AddSingleton<IRevocationChecker, RevocationChecker>();
        services.AddSingleton<RevocationEvents>();
        services.AddSingleton<RevocationCoverage>();
        services.AddSingleton<RevocationSourceMetrics>();
        services.AddHostedService(provider => provider.GetRequiredService<RevocationSourceMetrics>());
        services.AddHealthChecks().AddCheck<RevocationHealthCheck>(RevocationHealthCheck.Name, tags: ["ready"]);
        services.AddSingleton<PathRevocationCheck>();
        services.AddSingleton<ClientCertificateValidator>();
        services.AddSingleton<AuthenticationMetrics>();
        services.AddSingleton<ClientAuthenticationAudit>();
        services.AddHostedService<RevocationSettingsWarning>();
        services.AddHttpClient(RevocationHttpFetcher.ClientName)
            .ConfigurePrimaryHttpMessageHandler(RevocationHttpFetcher.CreatePrimaryHandler)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
        return builder;
    }
}
