using Microsoft.Extensions.Options;
using MtlsAuthServer.Data;
using MtlsAuthServer.Hosting;

namespace MtlsAuthServer.Clients;

public static class ClientRegistryRegistration
{
    /// <summary>Configured clients and scopes: validated at start-up, then written to the database (after its migrations).</summary>
    public static WebApplicationBuilder AddClientRegistry(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ClientRegistryOptions>().Bind(builder.Configuration).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ClientRegistryOptions>, ClientRegistryValidator>();
        builder.Services.AddOptions<ClientRegistrySynchronizationOptions>()
            .BindConfiguration(ClientRegistrySynchronizationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ClientRegistrySynchronizer>();
        builder.Services.AddSingleton<SchemaMigrator>();
        builder.Services.AddHostedService<StoreStartup>();
        return builder;
    }
}
