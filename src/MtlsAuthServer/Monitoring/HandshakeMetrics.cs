using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using MtlsAuthServer.Diagnostics;

namespace MtlsAuthServer.Monitoring;

/// <summary>
/// Counts TLS handshakes per listener by outcome (<c>mtls_auth.tls_handshakes</c>): completed with a client
/// certificate, completed without one, or failed/aborted. Two Kestrel connection middlewares surround the
/// HTTPS middleware: the inner one sees every completed handshake, the outer one notices the connections
/// that never got that far (Kestrel logs why at Debug; we only count).
/// </summary>
public sealed class HandshakeMetrics
{
    public const string HandshakesName = "mtls_auth.tls_handshakes";

    private readonly Counter<long> _handshakes;

    public HandshakeMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(AuthenticationMetrics.MeterName);
        _handshakes = meter.CreateCounter<long>(HandshakesName, unit: "{handshake}",
            description: "TLS handshakes by listener and outcome (client_certificate, no_client_certificate, failed).");
    }

    /// <summary>Goes before <c>UseHttps</c>: counts a failure when the connection ends without a completed handshake.</summary>
    public Func<ConnectionDelegate, ConnectionDelegate> BeforeHandshake(string listener) => next => async connection =>
    {
        var marker = new HandshakeCompleted();
        connection.Features.Set(marker);
        await next(connection).ConfigureAwait(false);
        if (!marker.Completed)
        {
            _handshakes.Add(1, new("listener", listener), new("outcome", "failed"), new("tls_protocol", "-"));
        }
    };

    /// <summary>Goes after <c>UseHttps</c>: runs once per connection whose handshake completed.</summary>
    public Func<ConnectionDelegate, ConnectionDelegate> AfterHandshake(string listener) => next => connection =>
    {
        if (connection.Features.Get<HandshakeCompleted>() is { } marker)
        {
            marker.Completed = true;
        }

        var tls = connection.Features.Get<ITlsConnectionFeature>();
        var protocol = connection.Features.Get<ITlsHandshakeFeature>()?.Protocol.ToString() ?? "-";
        var outcome = tls?.ClientCertificate is null ? "no_client_certificate" : "client_certificate";
        _handshakes.Add(1, new("listener", listener), new("outcome", outcome), new("tls_protocol", protocol));
        return next(connection);
    };

    private sealed class HandshakeCompleted
    {
        public bool Completed { get; set; }
    }
}
