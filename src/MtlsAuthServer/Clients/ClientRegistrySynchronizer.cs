using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using MtlsAuthServer.Data;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MtlsAuthServer.Clients;

/// <summary>
/// Makes the database match configuration at start-up: scopes and clients are created or updated, and a
/// client that was configured before but no longer is gets disabled (kept for audit, unable to authenticate).
/// </summary>
public sealed class ClientRegistrySynchronizer(IServiceScopeFactory scopes, IOptions<ClientRegistryOptions> options) : IHostedService
{
    public const string SourceSetting = "mtls_source";
    private const string ConfigurationSource = "configuration";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await services.GetRequiredService<AuthServerDbContext>().Database.EnsureCreatedAsync(cancellationToken);
        await SynchronizeScopesAsync(services.GetRequiredService<IOpenIddictScopeManager>(), cancellationToken);
        await SynchronizeClientsAsync(services.GetRequiredService<IOpenIddictApplicationManager>(), cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task SynchronizeScopesAsync(IOpenIddictScopeManager manager, CancellationToken cancellationToken)
    {
        foreach (var registration in options.Value.Scopes)
        {
            var descriptor = new OpenIddictScopeDescriptor { Name = registration.Name };
            descriptor.Resources.UnionWith(registration.Resources);
            var existing = await manager.FindByNameAsync(registration.Name, cancellationToken);
            if (existing is null)
            {
                await manager.CreateAsync(descriptor, cancellationToken);
            }
            else
            {
                await manager.UpdateAsync(existing, descriptor, cancellationToken);
            }
        }
    }

    private async Task SynchronizeClientsAsync(IOpenIddictApplicationManager manager, CancellationToken cancellationToken)
    {
        var configured = new HashSet<string>(StringComparer.Ordinal);
        foreach (var registration in options.Value.Clients)
        {
            configured.Add(registration.ClientId);
            var descriptor = CreateDescriptor(registration);
            var existing = await manager.FindByClientIdAsync(registration.ClientId, cancellationToken);
            if (existing is null)
            {
                await manager.CreateAsync(descriptor, cancellationToken);
            }
            else
            {
                await manager.UpdateAsync(existing, descriptor, cancellationToken);
            }
        }

        await foreach (var application in manager.ListAsync(count: null, offset: null, cancellationToken))
        {
            var clientId = await manager.GetClientIdAsync(application, cancellationToken);
            var settings = await manager.GetSettingsAsync(application, cancellationToken);
            if (clientId is null || configured.Contains(clientId)
                || !settings.TryGetValue(SourceSetting, out var source) || source != ConfigurationSource)
            {
                continue;
            }

            var descriptor = new OpenIddictApplicationDescriptor();
            await manager.PopulateAsync(descriptor, application, cancellationToken);
            descriptor.Permissions.Clear();
            descriptor.Settings[ClientMetadata.DisabledSetting] = "true";
            await manager.UpdateAsync(application, descriptor, cancellationToken);
        }
    }

    private static OpenIddictApplicationDescriptor CreateDescriptor(ClientRegistration registration)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = registration.ClientId,
            DisplayName = registration.ClientName ?? registration.ClientId,
            ClientType = ClientTypes.Confidential,
        };
        descriptor.Permissions.UnionWith(
        [
            Permissions.Endpoints.Token,
            Permissions.Endpoints.Introspection,
            Permissions.Endpoints.Revocation,
            Permissions.GrantTypes.ClientCredentials,
        ]);
        descriptor.Permissions.UnionWith(registration.Scopes.Select(scope => Permissions.Prefixes.Scope + scope));

        foreach (var (key, value) in ClientMetadata.ToSettings(registration))
        {
            descriptor.Settings[key] = value;
        }

        descriptor.Settings[SourceSetting] = ConfigurationSource;

        if (registration.TokenEndpointAuthMethod == ClientRegistration.SelfSignedTlsClientAuth)
        {
            // RFC 7591 jwks with x5c: OpenIddict's own representation of a client's keys.
            var set = new JsonWebKeySet();
            foreach (var certificate in registration.LoadSelfSignedCertificates())
            {
                var key = JsonWebKeyConverter.ConvertFromX509SecurityKey(new X509SecurityKey(certificate));
                key.Use = JsonWebKeyUseNames.Sig;
                set.Keys.Add(key);
            }

            descriptor.JsonWebKeySet = set;
        }

        return descriptor;
    }
}
