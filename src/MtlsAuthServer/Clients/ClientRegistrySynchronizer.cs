using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using MtlsAuthServer.Data;
using MtlsAuthServer.Tokens;
using MtlsAuthServer.Diagnostics;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MtlsAuthServer.Clients;

/// <summary>
/// Makes the database match this instance's configured registration set (<c>ClientRegistry:Source</c>): scopes and
/// clients are created or updated (a client row that already says what configuration says is left as it is), and a
/// client of this set that is no longer configured gets disabled (kept for audit, unable to authenticate). Clients of
/// other sets are never touched, so instances with different client lists can share one database. All of it happens
/// in one transaction: a failure leaves no partial rows.
/// </summary>
public sealed class ClientRegistrySynchronizer(
    IServiceScopeFactory scopes,
    IOptions<ClientRegistryOptions> options,
    IOptions<ClientRegistrySynchronizationOptions> synchronization,
    ILogger<ClientRegistrySynchronizer> logger)
{
    public const string SourceSetting = "mtls_source";

    /// <summary>Synchronizes in a scope of its own; returns a short description for the log.</summary>
    public async Task<string> SynchronizeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await SynchronizeAsync(scope.ServiceProvider, cancellationToken);
    }

    /// <summary>Synchronizes with the scoped services of <paramref name="services"/>; returns a short description for the log.</summary>
    public async Task<string> SynchronizeAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var source = synchronization.Value.Source;
        if (!synchronization.Value.Synchronize)
        {
            return $"read-only (ClientRegistry:Synchronize is false; {options.Value.Clients.Count} configured client(s) and {options.Value.Scopes.Count} scope(s) not written)";
        }

        var database = services.GetRequiredService<AuthServerDbContext>();
        await using var transaction = await database.Database.BeginTransactionAsync(cancellationToken);
        await RegistryLock.AcquireAsync(database, cancellationToken);
        await SynchronizeScopesAsync(services.GetRequiredService<IOpenIddictScopeManager>(), cancellationToken);
        var disabled = await SynchronizeClientsAsync(services.GetRequiredService<IOpenIddictApplicationManager>(), database, source, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        services.GetService<ScopeResourceCatalog>()?.Invalidate();
        services.GetService<RegisteredClientSnapshots>()?.Clear();

        foreach (var clientId in disabled)
        {
            StoreLog.ClientDisabled(logger, clientId, source);
        }

        return $"set '{source}' synchronized ({options.Value.Clients.Count} client(s), {disabled.Count} disabled)";
    }

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

    private async Task<List<string>> SynchronizeClientsAsync(
        IOpenIddictApplicationManager manager, AuthServerDbContext database, string source, CancellationToken cancellationToken)
    {
        // One read of every row instead of one query per configured client; read whole before writing, because
        // PostgreSQL can't run an update while a result set is still open.
        var storedApplications = new Dictionary<string, object>(StringComparer.Ordinal);
        await foreach (var application in manager.ListAsync(count: null, offset: null, cancellationToken))
        {
            if (await manager.GetClientIdAsync(application, cancellationToken) is { } clientId)
            {
                storedApplications[clientId] = application;
            }
        }

        var configured = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Value.Clients.Count; i++)
        {
            var registration = options.Value.Clients[i];
            configured.Add(registration.ClientId);
            var descriptor = CreateDescriptor(registration, source);
            var existing = storedApplications.GetValueOrDefault(registration.ClientId);
            // A written client needs no tracking (the transaction holds it): with every one tracked, each SaveChanges
            // would scan all before it, and 10,000 clients would take minutes to register instead of seconds.
            if (existing is null)
            {
                await manager.CreateAsync(descriptor, cancellationToken);
                database.ChangeTracker.Clear();
                continue;
            }

            var metadata = await manager.GetSettingsAsync(existing, cancellationToken);
            var owner = metadata.GetValueOrDefault(SourceSetting);
            if (owner != source && !ClientMetadata.FromSettings(metadata).Disabled)
            {
                // Two sets listing one client would overwrite each other at every start: refuse instead. A client
                // its set has disabled (no longer listed there) may be taken over.
                throw new InvalidOperationException(
                    $"Clients:{i}:client_id '{registration.ClientId}' is registered by registration set '{owner ?? "(none)"}', not by this instance's set '{source}' ({ClientRegistrySynchronizationOptions.Section}:Source).");
            }

            // Restarts mostly find every client as configured: writing each anyway (OpenIddict's validation and a row
            // update) took about 3 s of a restart with 10,000 clients.
            var stored = new OpenIddictApplicationDescriptor();
            await manager.PopulateAsync(stored, existing, cancellationToken);
            if (!ApplicationDescriptorComparison.Same(stored, descriptor))
            {
                await manager.UpdateAsync(await TrackedAsync(manager, registration.ClientId, cancellationToken), descriptor, cancellationToken);
            }

            database.ChangeTracker.Clear();
        }

        var stale = new List<string>();
        foreach (var (clientId, application) in storedApplications)
        {
            var settings = await manager.GetSettingsAsync(application, cancellationToken);
            if (!configured.Contains(clientId)
                && settings.GetValueOrDefault(SourceSetting) == source && !ClientMetadata.FromSettings(settings).Disabled)
            {
                stale.Add(clientId);
            }
        }

        var disabled = new List<string>();
        foreach (var clientId in stale)
        {
            var application = await TrackedAsync(manager, clientId, cancellationToken);
            var descriptor = new OpenIddictApplicationDescriptor();
            await manager.PopulateAsync(descriptor, application, cancellationToken);
            descriptor.Permissions.Clear();
            descriptor.Settings[ClientMetadata.DisabledSetting] = "true";
            await manager.UpdateAsync(application, descriptor, cancellationToken);
            disabled.Add(clientId);
        }

        return disabled;
    }

    // The listed rows were detached by the first ChangeTracker.Clear; OpenIddict's validation of an update looks the
    // client up again, and EF Core refuses to attach a second instance of a row it then tracks. Writes are few.
    private static async Task<object> TrackedAsync(IOpenIddictApplicationManager manager, string clientId, CancellationToken cancellationToken) =>
        await manager.FindByClientIdAsync(clientId, cancellationToken)
        ?? throw new InvalidOperationException($"Client '{clientId}' disappeared from the database during synchronization.");

    /// <summary>The OpenIddict application of <paramref name="registration"/> in registration set <paramref name="source"/> (configured or registered at run time alike).</summary>
    public static OpenIddictApplicationDescriptor CreateDescriptor(ClientRegistration registration, string source)
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

        descriptor.Settings[SourceSetting] = source;

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
