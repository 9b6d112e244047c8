using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MtlsAuthServer.Tests.Infrastructure;

/// <summary>A plain-HTTP server on a loopback port that serves byte blobs by path: a CRL distribution point.</summary>
/// <remarks>Each path can also misbehave: another status, another content type, or a body cut short.</remarks>
public sealed class StaticHttpServer : IAsyncDisposable
{
    private const string CrlMediaType = "application/pkix-crl";

    private readonly ConcurrentDictionary<string, Route> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _requestsByPath = new(StringComparer.Ordinal);
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
        StaticHttpServer? server = null;
        var (app, baseUri) = await StartLoopbackAsync(context => server!.HandleAsync(context));
        server = new StaticHttpServer(app, baseUri);
        return server;
    }

    /// <summary>Starts a Kestrel app on 127.0.0.1 with a port of its own that answers every request with <paramref name="handler"/>.</summary>
    internal static async Task<(WebApplication App, Uri BaseUri)> StartLoopbackAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        return (app, new Uri(app.Urls.First().TrimEnd('/') + "/"));
    }

    /// <summary>
    /// Writes <paramref name="body"/>; with <paramref name="declaredExtraBytes"/>, under a Content-Length that many octets
    /// longer, then drops the connection, so the client reads a body cut short (RFC 9112 §8: an incomplete message).
    /// </summary>
    internal static async Task WriteBodyAsync(HttpContext context, byte[] body, int? declaredExtraBytes)
    {
        if (declaredExtraBytes is not { } extra)
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
            return;
        }

        context.Response.ContentLength = body.Length + extra;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        context.Abort();
    }

    public void Serve(string path, byte[] body) => Serve(path, body, CrlMediaType);

    public void Serve(string path, byte[] body, string contentType) => _files[Normalize(path)] = new Route(body, contentType, StatusCodes.Status200OK, null);

    /// <summary>Serves <paramref name="body"/> under a Content-Length <paramref name="declaredExtraBytes"/> longer, then ends the connection.</summary>
    public void ServeTruncated(string path, byte[] body, int declaredExtraBytes) =>
        _files[Normalize(path)] = new Route(body, CrlMediaType, StatusCodes.Status200OK, declaredExtraBytes);

    /// <summary>Answers <paramref name="path"/> with <paramref name="status"/> and no body.</summary>
    public void ServeStatus(string path, int status) => _files[Normalize(path)] = new Route([], null, status, null);

    /// <summary>How many requests asked for <paramref name="path"/>, served or not.</summary>
    public int RequestsFor(string path) => _requestsByPath.TryGetValue(Normalize(path), out var count) ? count : 0;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static string Normalize(string path) => "/" + path.TrimStart('/');

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var path = context.Request.Path.Value ?? string.Empty;
        _requestsByPath.AddOrUpdate(path, 1, (_, count) => count + 1);
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, context.RequestAborted);
        }

        if (!_files.TryGetValue(path, out var route))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.StatusCode = route.Status;
        if (route.ContentType is { } contentType)
        {
            context.Response.ContentType = contentType;
            await WriteBodyAsync(context, route.Body, route.DeclaredExtraBytes);
        }
    }

    /// <summary>What one path answers: a body and its type (null: none at all), a status, and an over-declared length.</summary>
    private sealed record Route(byte[] Body, string? ContentType, int Status, int? DeclaredExtraBytes);
}
