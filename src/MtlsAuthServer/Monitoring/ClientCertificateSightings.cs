using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using MtlsAuthServer.Data;
using MtlsAuthServer.Diagnostics;
using MtlsAuthServer.ServiceDefaults.Logging;

namespace MtlsAuthServer.Monitoring;

/// <summary>
/// The certificates <c>tls_client_auth</c> clients authenticate with — the server never sees them otherwise — so
/// their expiry can be watched like the server's own material. Fed only after a client authenticated (the key is
/// the registered client_id and the certificate's thumbprint, never unvalidated input), bounded to
/// <see cref="MaxCertificatesPerClient"/> per client and <see cref="MaxClients"/> clients. Cheap on the request
/// path: a sighting is queued for the database only when the pair is new here or was last written
/// <see cref="RecordInterval"/> ago, and <see cref="ClientCertificateSightingWriter"/> writes it in the background.
/// What other instances recorded comes from the database by <see cref="RefreshAsync"/>.
/// </summary>
public sealed partial class ClientCertificateSightings(IServiceScopeFactory scopes, TimeProvider time, ILogger<ClientCertificateSightings> logger)
{
    public const int MaxCertificatesPerClient = 4;
    public const int MaxClients = 10_000;
    private const int QueueCapacity = 1_024;

    /// <summary>How far behind the shared last-seen time may be: each instance writes a pair at most this often.</summary>
    public static readonly TimeSpan RecordInterval = TimeSpan.FromHours(1);

    /// <summary>After a failed write (database down), how long before the pair is queued again.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A certificate last seen this long before the client's most recent sighting is taken as replaced (the client
    /// rotated) and no longer reported, so an old certificate lapsing after a rotation raises no alarm.
    /// </summary>
    public static readonly TimeSpan ReplacedAfter = TimeSpan.FromDays(1);

    private readonly ConcurrentDictionary<string, ClientEntry> _clients = new(StringComparer.Ordinal);
    private readonly Channel<ClientCertificateSighting> _queue = Channel.CreateBounded<ClientCertificateSighting>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly SnapshotRefresh _refresh = new(time);
    private IReadOnlyList<ClientCertificateSighting> _shared = [];

    /// <summary>Sightings waiting to be written, for <see cref="ClientCertificateSightingWriter"/>.</summary>
    public ChannelReader<ClientCertificateSighting> Queue => _queue.Reader;

    /// <summary>Called once <paramref name="clientId"/> has authenticated with <paramref name="certificate"/> by <c>tls_client_auth</c>.</summary>
    public void Observe(string clientId, X509Certificate2 certificate, string? thumbprint = null)
    {
        if (!_clients.TryGetValue(clientId, out var client))
        {
            if (_clients.Count >= MaxClients)
            {
                return;
            }

            client = _clients.GetOrAdd(clientId, static _ => new ClientEntry());
        }

        var now = time.GetUtcNow();
        thumbprint ??= CertificateFacts.Sha256Thumbprint(certificate);
        ClientCertificateSighting? due;
        bool first;
        lock (client)
        {
            due = client.Observe(clientId, thumbprint, certificate, now, out first);
        }

        if (first)
        {
            FirstSeen(logger, clientId, LogValue.Clean(CertificateFacts.SubjectOf(certificate)), certificate.SerialNumber, thumbprint, certificate.NotAfter.ToUniversalTime());
        }

        if (due is not null && !_queue.Writer.TryWrite(due))
        {
            WriteFailed(due);
        }
    }

    /// <summary>A queued sighting could not be written: queue it again at a later sighting, after <see cref="RetryDelay"/>.</summary>
    public void WriteFailed(ClientCertificateSighting sighting)
    {
        if (_clients.TryGetValue(sighting.ClientId, out var client))
        {
            lock (client)
            {
                client.Postpone(sighting.Thumbprint, time.GetUtcNow() + RetryDelay);
            }
        }
    }

    /// <summary>Reads what every instance recorded unless the last read started less than <paramref name="maxAge"/> ago.</summary>
    public Task RefreshIfOlderThanAsync(TimeSpan maxAge, CancellationToken cancellationToken) =>
        _refresh.IsFresh(maxAge) ? Task.CompletedTask : RefreshAsync(cancellationToken);

    /// <summary>Reads what every instance recorded.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var read = _refresh.Start();
        await using var scope = scopes.CreateAsyncScope();
        var rows = await scope.ServiceProvider.GetRequiredService<ClientCertificateSightingStore>().ListAsync(null, cancellationToken);
        _refresh.Publish(read, () => Volatile.Write(ref _shared, rows));
    }

    /// <summary>
    /// Per client (of <paramref name="clients"/>, the enabled <c>tls_client_auth</c> clients, when known), the
    /// certificates it currently authenticates with: this instance's sightings and the database's, newest last-seen
    /// kept, without those replaced by a later one (<see cref="ReplacedAfter"/>).
    /// </summary>
    public IReadOnlyList<ClientCertificateSighting> Current(IReadOnlySet<string>? clients)
    {
        var merged = new Dictionary<(string ClientId, string Thumbprint), ClientCertificateSighting>();
        foreach (var sighting in Volatile.Read(ref _shared).Concat(Local()))
        {
            var key = (sighting.ClientId, sighting.Thumbprint);
            if (!merged.TryGetValue(key, out var known) || known.LastSeen < sighting.LastSeen)
            {
                merged[key] = sighting;
            }
        }

        return [.. merged.Values
            .Where(sighting => clients is null || clients.Contains(sighting.ClientId))
            .GroupBy(sighting => sighting.ClientId, StringComparer.Ordinal)
            .SelectMany(client =>
            {
                var latest = client.Max(sighting => sighting.LastSeen);
                return client.Where(sighting => latest - sighting.LastSeen <= ReplacedAfter)
                    .OrderByDescending(sighting => sighting.LastSeen)
                    .Take(MaxCertificatesPerClient);
            })
            .OrderBy(sighting => sighting.ClientId, StringComparer.Ordinal)
            .ThenBy(sighting => sighting.NotAfter)];
    }

    private List<ClientCertificateSighting> Local()
    {
        var sightings = new List<ClientCertificateSighting>();
        foreach (var (clientId, client) in _clients)
        {
            lock (client)
            {
                sightings.AddRange(client.Snapshot(clientId));
            }
        }

        return sightings;
    }

    [LoggerMessage(EventId = 6100, EventName = "ClientCertificateFirstSeen", Level = LogLevel.Information,
        Message = "Client {ClientId} authenticated with a certificate this instance had not seen: {Subject}, serial {SerialNumber}, x5t#S256 {Thumbprint}, valid until {NotAfter:u}")]
    private static partial void FirstSeen(ILogger logger, string clientId, string subject, string serialNumber, string thumbprint, DateTime notAfter);

    /// <summary>One client's certificates here; guarded by locking the instance.</summary>
    private sealed class ClientEntry
    {
        private readonly List<Seen> _certificates = new(MaxCertificatesPerClient);

        public ClientCertificateSighting? Observe(string clientId, string thumbprint, X509Certificate2 certificate, DateTimeOffset now, out bool first)
        {
            var seen = _certificates.Find(entry => entry.Thumbprint == thumbprint);
            first = seen is null;
            if (seen is null)
            {
                if (_certificates.Count == MaxCertificatesPerClient)
                {
                    _certificates.Remove(_certificates.MinBy(entry => entry.LastSeen)!);
                }

                seen = new Seen(thumbprint, Cut(CertificateFacts.SubjectOf(certificate), ClientCertificateSighting.MaxSubjectLength),
                    Cut(certificate.SerialNumber, ClientCertificateSighting.MaxSerialNumberLength), certificate.NotAfter.ToUniversalTime());
                _certificates.Add(seen);
            }

            seen.LastSeen = now;
            if (now < seen.NextWrite)
            {
                return null;
            }

            seen.NextWrite = now + RecordInterval;
            return seen.ToSighting(clientId);
        }

        public void Postpone(string thumbprint, DateTimeOffset until)
        {
            if (_certificates.Find(entry => entry.Thumbprint == thumbprint) is { } seen)
            {
                seen.NextWrite = until;
            }
        }

        public List<ClientCertificateSighting> Snapshot(string clientId) => _certificates.Select(seen => seen.ToSighting(clientId)).ToList();

        private static string Cut(string value, int length) => value.Length <= length ? value : value[..length];
    }

    private sealed class Seen(string thumbprint, string subject, string serialNumber, DateTimeOffset notAfter)
    {
        public string Thumbprint { get; } = thumbprint;

        public DateTimeOffset LastSeen { get; set; }

        public DateTimeOffset NextWrite { get; set; } = DateTimeOffset.MinValue;

        public ClientCertificateSighting ToSighting(string clientId) => new()
        {
            ClientId = clientId,
            Thumbprint = Thumbprint,
            Subject = subject,
            SerialNumber = serialNumber,
            NotAfter = notAfter,
            LastSeen = LastSeen,
        };
    }
}
