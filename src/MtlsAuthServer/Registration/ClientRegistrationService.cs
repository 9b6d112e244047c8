using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Clients;
using MtlsAuthServer.Data;
using MtlsAuthServer.Tokens;
using OpenIddict.Abstractions;

namespace MtlsAuthServer.Registration;

/// <summary>A client registered at run time: its management record, its OpenIddict application and its metadata.</summary>
public sealed record ManagedClient(DynamicClientRegistration Record, object Application, ClientRegistration Metadata)
{
    public string ClientId => Record.ClientId;

    public bool IsActive => Record.DisabledAt is null;
}

/// <summary>What a registration change did: the client (and a new registration access token), or why it was refused.</summary>
public sealed record RegistrationOutcome(ManagedClient? Client, string? RegistrationAccessToken, string? Problem)
{
    public static RegistrationOutcome Refused(string problem) => new(null, null, problem);
}

/// <summary>
/// The one code path that creates, changes and disables clients registered at run time, for the RFC 7591/7592
/// endpoints and the <c>clients</c> command alike. Metadata passes <see cref="ClientRegistrationRules"/> (the rules of
/// configured clients); the client is written as an OpenIddict application in the registration set
/// <see cref="DynamicSource"/>, which no configuration set can be named (so <see cref="ClientRegistrySynchronizer"/>
/// never updates or disables it, and refuses to start when configuration lists its client_id), together with its
/// management record in one SaveChanges. Other instances see a change within <see cref="RegisteredClientSnapshots.Lifetime"/>.
/// </summary>
public sealed class ClientRegistrationService(
    AuthServerDbContext database,
    IOpenIddictApplicationManager applications,
    ClientTokenRevocation revocation,
    ScopeResourceCatalog scopes,
    RegisteredClientSnapshots snapshots,
    IOptions<DynamicRegistrationOptions> options,
    IOptions<TokenOptions> tokenOptions,
    TimeProvider time)
{
    /// <summary>The registration set of clients registered at run time: not a valid <c>ClientRegistry:Source</c>, so no configuration owns it.</summary>
    public const string DynamicSource = "(dynamic)";

    private DbSet<DynamicClientRegistration> Records => database.Set<DynamicClientRegistration>();

    /// <summary>
    /// Registers <paramref name="metadata"/> under a new client_id, or <paramref name="clientId"/> when an operator names
    /// it. An operator (<paramref name="byOperator"/>) may give any defined scope; a caller of the endpoint only those of
    /// <c>Registration:Scopes</c>.
    /// </summary>
    public async Task<RegistrationOutcome> RegisterAsync(
        ClientRegistration metadata, string registeredBy, string? clientId, bool byOperator, CancellationToken cancellationToken)
    {
        metadata.ClientId = clientId ?? "dyn-" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        if (await ProblemOfAsync(metadata, byOperator, cancellationToken) is { } problem)
        {
            return RegistrationOutcome.Refused(problem);
        }

        if (await applications.FindByClientIdAsync(metadata.ClientId, cancellationToken) is not null)
        {
            return RegistrationOutcome.Refused($"client_id '{metadata.ClientId}' is already registered.");
        }

        if (await Records.CountAsync(record => record.DisabledAt == null, cancellationToken) >= options.Value.MaxClients)
        {
            return RegistrationOutcome.Refused($"the server holds its most clients registered at run time ({options.Value.MaxClients}).");
        }

        var token = NewRegistrationAccessToken();
        var now = time.GetUtcNow();
        var record = new DynamicClientRegistration
        {
            ClientId = metadata.ClientId,
            RegistrationAccessTokenHash = Hash(token),
            Metadata = ClientMetadataDocument.Serialize(metadata.ClientId, now, metadata),
            RegisteredBy = registeredBy.Length <= DynamicClientRegistration.MaxRegisteredByLength ? registeredBy : registeredBy[..DynamicClientRegistration.MaxRegisteredByLength],
            CreatedAt = now,
            UpdatedAt = now,
        };
        Records.Add(record); // written by the application's SaveChanges: both rows or neither
        var application = await applications.CreateAsync(ClientRegistrySynchronizer.CreateDescriptor(metadata, DynamicSource), cancellationToken);
        snapshots.Remove(metadata.ClientId);
        return new RegistrationOutcome(new ManagedClient(record, application, metadata), token, null);
    }

    /// <summary>The client registered at run time as <paramref name="clientId"/>, active or not; null for any other client_id (configured ones included).</summary>
    public async Task<ManagedClient?> FindAsync(string clientId, CancellationToken cancellationToken)
    {
        if (clientId.Length > DynamicClientRegistration.MaxClientIdLength
            || await Records.FirstOrDefaultAsync(record => record.ClientId == clientId, cancellationToken) is not { } record
            || await applications.FindByClientIdAsync(clientId, cancellationToken) is not { } application
            || (await applications.GetSettingsAsync(application, cancellationToken)).GetValueOrDefault(ClientRegistrySynchronizer.SourceSetting) != DynamicSource)
        {
            return null;
        }

        return new ManagedClient(record, application, ClientMetadataDocument.Deserialize(clientId, record.Metadata));
    }

    /// <summary>
    /// The active client that <paramref name="registrationAccessToken"/> manages (RFC 7592 §2), compared in fixed time as
    /// a SHA-256; null when either is unknown, wrong or deleted.
    /// </summary>
    public async Task<ManagedClient?> FindManagedAsync(string clientId, string registrationAccessToken, CancellationToken cancellationToken)
    {
        var client = await FindAsync(clientId, cancellationToken);
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(registrationAccessToken));
        var stored = new byte[32];
        var known = client is { IsActive: true, Record.RegistrationAccessTokenHash: { } hash } && Base64Url.TryDecodeFromChars(hash, stored, out var written) && written == 32;
        return CryptographicOperations.FixedTimeEquals(presented, stored) && known ? client : null;
    }

    /// <summary>Replaces the client's metadata (RFC 7592 §2.2: the request holds all of it), e.g. its certificates during a rotation.</summary>
    public async Task<RegistrationOutcome> UpdateAsync(ManagedClient client, ClientRegistration metadata, bool byOperator, CancellationToken cancellationToken)
    {
        if (!client.IsActive)
        {
            return RegistrationOutcome.Refused($"client '{client.ClientId}' is disabled.");
        }

        metadata.ClientId = client.ClientId;
        if (await ProblemOfAsync(metadata, byOperator, cancellationToken) is { } problem)
        {
            return RegistrationOutcome.Refused(problem);
        }

        var now = time.GetUtcNow();
        client.Record.Metadata = ClientMetadataDocument.Serialize(client.ClientId, client.Record.CreatedAt, metadata);
        client.Record.UpdatedAt = now;
        try
        {
            await applications.UpdateAsync(client.Application, ClientRegistrySynchronizer.CreateDescriptor(metadata, DynamicSource), cancellationToken);
        }
        catch (OpenIddictExceptions.ConcurrencyException)
        {
            // Another request changed the client since it was read (OpenIddict's concurrency token): nothing was written.
            return RegistrationOutcome.Refused("the registration was changed by another request meanwhile; read it again and retry.");
        }

        snapshots.Remove(client.ClientId);
        return new RegistrationOutcome(client with { Metadata = metadata }, null, null);
    }

    /// <summary>
    /// Disables the client (RFC 7592 §2.3 delete, or an operator): it can no longer authenticate, its registration access
    /// token stops working, and in Database mode its issued tokens are revoked, so they introspect as inactive.
    /// </summary>
    /// <returns>How many stored tokens were revoked.</returns>
    public async Task<long> DisableAsync(ManagedClient client, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        client.Record.DisabledAt ??= now;
        client.Record.UpdatedAt = now;
        client.Record.RegistrationAccessTokenHash = null;
        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, client.Application, cancellationToken);
        descriptor.Permissions.Clear();
        descriptor.Settings[ClientMetadata.DisabledSetting] = "true";
        await applications.UpdateAsync(client.Application, descriptor, cancellationToken);
        snapshots.Remove(client.ClientId);
        return await RevokeTokensAsync(client, cancellationToken);
    }

    /// <summary>Revokes the client's stored tokens (none are stored in SelfContained mode: they stay valid until they expire).</summary>
    public async Task<long> RevokeTokensAsync(ManagedClient client, CancellationToken cancellationToken)
    {
        if (tokenOptions.Value.Storage != TokenStorage.Database || await applications.GetIdAsync(client.Application, cancellationToken) is not { } id)
        {
            return 0;
        }

        return await revocation.RevokeAsync(id, cancellationToken);
    }

    /// <summary>Every client registered at run time, active or not, by client_id.</summary>
    public Task<List<DynamicClientRegistration>> ListAsync(CancellationToken cancellationToken) =>
        Records.AsNoTracking().OrderBy(record => record.ClientId).ToListAsync(cancellationToken);

    /// <summary>The SHA-256 (base64url) of a token, as registration access tokens and initial access tokens are kept.</summary>
    public static string Hash(string token) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string NewRegistrationAccessToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    private async Task<string?> ProblemOfAsync(ClientRegistration metadata, bool byOperator, CancellationToken cancellationToken)
    {
        // A client may be given what the registry defines and, registered through the endpoint, what the policy allows.
        var defined = await scopes.NamesAsync(cancellationToken);
        var allowed = (byOperator ? defined : options.Value.Scopes.Where(defined.Contains)).ToHashSet(StringComparer.Ordinal);
        return ClientRegistrationRules.Problems(metadata, allowed, byOperator ? "Scopes" : $"{DynamicRegistrationOptions.Section}:Scopes (and Scopes)").FirstOrDefault();
    }
}
