using MtlsAuthServer.ServiceDefaults.Hosting;

namespace MtlsAuthServer.HotReload;

public static class HotReloadRegistration
{
    /// <summary>Watches the server certificate, the trust bundles and the client registry, and swaps them in without a restart.</summary>
    public static WebApplicationBuilder AddHotReload(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<HotReloadOptions>().BindConfiguration(HotReloadOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        TrustAnchorOptions.Bind(services);
        services.AddSingleton<ReloadMetrics>();

        var settings = builder.Configuration.GetSection(HotReloadOptions.Section).Get<HotReloadOptions>() ?? new HotReloadOptions();
        if (settings.Enabled)
        {
            services.AddHostedService<ServerCertificateReloader>();
            services.AddHostedService<TrustMaterialReloader>();
            services.AddHostedService<ClientRegistryReloader>();
        }

        return builder;
    }
}
