using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Clients;
using MtlsAuthServer.Data;
using MtlsAuthServer.Diagnostics;
using OpenIddict.Abstractions;

namespace MtlsAuthServer.Monitoring;

/// <summary>
/// The certificates registered for <c>self_signed_tls_client_auth</c> clients, read from the x5c of each enabled
/// OpenIddict application's JWKS — what authentication actually compares against, not what configuration says — and
/// which clients are enabled <c>tls_client_auth</c> ones (whose certificates are known only from their authentications).
/// Reading needs the database, so metric callbacks (synchronous) use the last snapshot; it is refreshed at
/// start-up, after every client-registry reload and by readiness checks (<see cref="RefreshIfOlderThanAsync"/>).
/// </summary>
public sealed class RegisteredClientCertificates(IServiceScopeFactory scopes, StoreReadiness readiness, TimeProvider time) : IHostedService
{
    private IReadOnlyList<ExpiringItem> _items = [];
    private IReadOnlySet<string>? _tlsClientAuthClients;
    private readonly SnapshotRefresh _refresh = new(time);

    public IReadOnlyList<ExpiringItem> Current => Volatile.Read(ref _items);

    /// <summary>The enabled <c>tls_client_auth</c> clients at the last refresh; null before the first.</summary>
    public IReadOnlySet<string>? TlsClientAuthClients => Volatile.Read(ref _tlsClientAuthClients);

    /// <summary>
    /// Reads again unless the last read started less than <paramref name="maxAge"/> ago. A clock that went back
    /// counts as stale: the snapshot's age is then unknown.
    /// </summary>
    public Task RefreshIfOlderThanAsync(TimeSpan maxAge, CancellationToken cancellationToken) =>
        _refresh.IsFresh(maxAge) ? Task.CompletedTask : RefreshAsync(cancellationToken);

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var read = _refresh.Start();
        await using var scope = scopes.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var items = new List<ExpiringItem>();
        var tlsClientAuthClients = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var application in manager.ListAsync(count: null, offset: null, cancellationToken))
        {
            var metadata = ClientMetadata.FromSettings(await manager.GetSettingsAsync(application, cancellationToken));
            if (metadata.Disabled)
            {
                continue;
            }

            var clientId = await manager.GetClientIdAsync(application, cancellationToken) ?? "-";
            if (metadata.IsTlsClientAuth)
            {
                tlsClientAuthClients.Add(clientId);
            }

            if (!metadata.IsSelfSigned)
            {
                continue;
            }

            var keys = await manager.GetJsonWebKeySetAsync(application, cancellationToken);
            foreach (var key in keys?.Keys ?? [])
            {
                if (key.X5c is not { Count: > 0 } x5c)
                {
                    continue;
                }

                try
                {
                    using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(x5c[0]));
                    items.Add(new ExpiringItem(ExpiringKind.ClientCertificate, certificate.Subject,
                        CertificateFacts.Sha256Thumbprint(certificate), clientId, certificate.NotAfter.ToUniversalTime()));
                }
                catch (Exception exception) when (exception is CryptographicException or FormatException)
                {
                    // A key that can't be read can't authenticate either; nothing to watch.
                }
            }
        }

        // Two overlapping reads (a probe and a reload): the one that started first saw the older rows.
        _refresh.Publish(read, () =>
        {
            Volatile.Write(ref _items, items);
            Volatile.Write(ref _tlsClientAuthClients, tlsClientAuthClients);
        });
    }

    // The database may be down or not migrated yet at start; readiness probes refresh the snapshot later.
    public Task StartAsync(CancellationToken cancellationToken) => readiness.IsReady ? RefreshAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
