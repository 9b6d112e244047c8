using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MtlsAuthServer.Tests.Infrastructure;

/// <summary>A plain-HTTP server on a loopback port that serves byte blobs by path: a CRL distribution point.</summary>
public sealed class StaticHttpServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly WebApplication _app;
    private int _requests;

    private StaticHttpServer(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public int RequestCount => Volatile.Read(ref _requests);

    /// <summary>When set, requests hang this long before answering (to simulate a slow endpoint).</summary>
    public TimeSpan Delay { get; set; }

    public static async Task<StaticHttpServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        StaticHttpServer? server = null;
        app.Run(async context =>
        {
            Interlocked.Increment(ref server!._requests);
            if (server.Delay > TimeSpan.Zero)
            {
                await Task.Delay(server.Delay, context.RequestAborted);
            }

            if (server._files.TryGetValue(context.Request.Path.Value ?? string.Empty, out var body))
            {
                context.Response.ContentType = "application/pkix-crl";
                await context.Response.Body.WriteAsync(body);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
        });
        await app.StartAsync();
        var address = app.Urls.First();
        server = new StaticHttpServer(app, new Uri(address.TrimEnd('/') + "/"));
        return server;
    }

    public void Serve(string path, byte[] body) => _files["/" + path.TrimStart('/')] = body;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
