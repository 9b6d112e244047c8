using MtlsAuthServer.Hosting;

namespace MtlsAuthServer.HotReload;

public static class HotReloadRegistration
{
    /// <summary>Watches the server certificate, the trust bundles and the client registry, and swaps them in without a restart.</summary>
    public static WebApplicationBuilder AddHotReload(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSection<HotReloadOptions>(HotReloadOptions.Section);
        services.AddSingleton<ReloadMetrics>();
        // Each reloader stays idle when HotReload:Enabled is false (PollingReloader checks it when it starts).
        services.AddHostedService<ServerCertificateReloader>();
        services.AddHostedService<TrustMaterialReloader>();
        services.AddHostedService<ClientRegistryReloader>();
        return builder;
    }
}
