using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using MtlsAuthServer.Clients;
using MtlsAuthServer.Monitoring;

namespace MtlsAuthServer.HotReload;

/// <summary>
/// Re-runs the client synchronization when the registry changes: the <c>Clients</c>/<c>Scopes</c> configuration
/// (appsettings and other reloadable sources) or the content of a self-signed client's <c>certificates</c> PEM
/// files. So adding or removing a registered certificate, or a client, takes effect without a restart. The new
/// registry passes the same validation as at start-up (<see cref="ClientRegistryValidator"/>) or is refused, and
/// the database keeps the previous registrations.
/// </summary>
public sealed class ClientRegistryReloader(
    IServiceProvider services,
    IConfiguration configuration,
    IOptionsFactory<ClientRegistryOptions> registries,
    RegisteredClientCertificates inventory,
    IOptionsMonitor<HotReloadOptions> options,
    TimeProvider time,
    ReloadMetrics metrics,
    ILogger<ClientRegistryReloader> logger)
    : PollingReloader(options, time, metrics, logger)
{
    private const string ClientsKey = "Clients";
    private const string ScopesKey = "Scopes";
    private const string CertificatesKey = "certificates";

    protected override string Material => "client_registry";

    protected override string Source => "configuration Clients/Scopes and registered certificate files";

    private IDisposable? _configurationWatch;
    private volatile bool _configurationChanged = true;
    private RegistryEntries? _entries;

    protected override string Fingerprint()
    {
        using var fingerprint = new ContentFingerprint();
        var entries = CurrentEntries();
        fingerprint.AddText(entries.Fingerprint);
        // Clients:N:certificates:M names a PEM file: its content is part of the registration, read at every poll.
        foreach (var file in entries.CertificateFiles)
        {
            fingerprint.AddFile(file);
        }

        return fingerprint.Complete();
    }

    public override void Dispose()
    {
        _configurationWatch?.Dispose();
        base.Dispose();
    }

    /// <summary>
    /// The Clients/Scopes entries, read again only after a configuration source reloaded (the configuration root's
    /// reload token): the appsettings files answer from an index (<see cref="Hosting.IndexedJsonConfigurationProvider"/>),
    /// but the framework's other providers (environment variables, command line, key-per-file) scan every key per
    /// child listed, and a poll every few seconds over thousands of clients there would keep a core busy. Values only
    /// change when a source reloads.
    /// </summary>
    private RegistryEntries CurrentEntries()
    {
        _configurationWatch ??= ChangeToken.OnChange(configuration.GetReloadToken, () => _configurationChanged = true);
        if (_entries is { } cached && !_configurationChanged)
        {
            return cached;
        }

        _configurationChanged = false; // Before reading: a reload during the read is seen at the next poll.
        using var fingerprint = new ContentFingerprint();
        var files = new List<string?>();
        foreach (var (key, value) in Entries(ClientsKey).Concat(Entries(ScopesKey)))
        {
            fingerprint.AddText(key).AddText(value ?? "\0");
            var segments = key.Split(':');
            if (segments.Length == 4 && string.Equals(segments[2], CertificatesKey, StringComparison.OrdinalIgnoreCase))
            {
                files.Add(value);
            }
        }

        return _entries = new RegistryEntries(fingerprint.Complete(), files);
    }

    protected override async Task<string> ReloadAsync(CancellationToken cancellationToken)
    {
        ClientRegistryOptions registry;
        try
        {
            registry = registries.Create(Options.DefaultName);
        }
        catch (OptionsValidationException exception)
        {
            throw new ReloadRejectedException(string.Join(" ", exception.Failures), exception);
        }

        // The start-up synchronizer, handed the new registry: one code path writes registrations to the database.
        var synchronizer = ActivatorUtilities.CreateInstance<ClientRegistrySynchronizer>(services, Options.Create(registry));
        await synchronizer.SynchronizeAsync(cancellationToken).ConfigureAwait(false);
        await inventory.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return $"{registry.Clients.Count} client(s), {registry.Scopes.Count} scope(s) synchronized";
    }

    private IEnumerable<KeyValuePair<string, string?>> Entries(string section) =>
        configuration.GetSection(section).AsEnumerable().OrderBy(pair => pair.Key, StringComparer.Ordinal);

    private sealed record RegistryEntries(string Fingerprint, IReadOnlyList<string?> CertificateFiles);
}
