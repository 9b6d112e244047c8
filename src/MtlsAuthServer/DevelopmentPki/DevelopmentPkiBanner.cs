using Microsoft.Extensions.Options;
using MtlsAuthServer.Hosting;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.DevelopmentPki;

/// <summary>Logs, once the server listens, the exact curl command that gets a token with the demo client.</summary>
public sealed partial class DevelopmentPkiBanner(
    DevelopmentPkiLayout layout, IOptions<DevelopmentPkiOptions> pki, IOptions<ListenerOptions> listeners,
    IHostApplicationLifetime lifetime, ILogger<DevelopmentPkiBanner> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var client in pki.Value.Clients.Keys)
            {
                var tokenUrl = listeners.Value.Mtls.TrimEnd('/') + "/token";
                LogCurl(logger, client,
                    $"curl --cert {layout.ClientCertificate(client)} --key {layout.ClientKey(client)} --cacert {layout.RootCertificate} " +
                    $"-d grant_type=client_credentials -d client_id={client} {tokenUrl}");
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1001, EventName = "DevelopmentPkiReady", Level = LogLevel.Information, Message = "Development PKI ready. Get a token as {ClientId}: {CurlCommand}")]
    private static partial void LogCurl(ILogger logger, string clientId, string curlCommand);
}
