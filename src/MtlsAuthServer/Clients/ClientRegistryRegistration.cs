using Microsoft.Extensions.Options;

namespace MtlsAuthServer.Clients;

public static class ClientRegistryRegistration
{
    /// <summary>Configured clients and scopes: validated at start-up, then written to the database.</summary>
    public static WebApplicationBuilder AddClientRegistry(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ClientRegistryOptions>().Bind(builder.Configuration).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ClientRegistryOptions>, ClientRegistryValidator>();
        builder.Services.AddHostedService<ClientRegistrySynchronizer>();
        return builder;
    }
}
