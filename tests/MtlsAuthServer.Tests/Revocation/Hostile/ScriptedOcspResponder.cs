using System.Formats.Asn1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Revocation.Hostile;

/// <summary>
/// An OCSP responder over real HTTP on loopback (RFC 6960 Appendix A.1) whose every answer is scripted: the
/// OCSPResponse by <see cref="Answer"/>, the HTTP around it by the properties here.
/// </summary>
public sealed class ScriptedOcspResponder : IAsyncDisposable
{
    private const string RequestMediaType = "application/ocsp-request";

    private readonly WebApplication _app;
    private int _requests;
    private byte[]? _lastResponseBody;

    private ScriptedOcspResponder(WebApplication app, Uri uri)
    {
        _app = app;
        Uri = uri;
    }

    /// <summary>The responder's URL, for a certificate's AIA (POST here, or GET here + base64 request).</summary>
    public Uri Uri { get; }

    /// <summary>Decides each answer; until set, every request gets an unsigned internalError.</summary>
    public Func<OcspQuery, OcspAnswer> Answer { get; set; } = _ => OcspAnswers.Error(2);

    public int HttpStatus { get; set; } = StatusCodes.Status200OK;

    public string ContentType { get; set; } = "application/ocsp-response";

    /// <summary>When set, each request hangs this long before answering (a slow responder).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>When set, these bytes are served verbatim instead of an answer (a replay, or garbage).</summary>
    public byte[]? RawBody { get; set; }

    /// <summary>When set, the Content-Length claims this many octets more than the body, and the connection is then dropped.</summary>
    public int? DeclaredContentLengthExtra { get; set; }

    public int RequestCount => Volatile.Read(ref _requests);

    /// <summary>The body of the latest response, as sent: capture an answer here, serve it later through <see cref="RawBody"/>.</summary>
    public byte[]? LastResponseBody => Volatile.Read(ref _lastResponseBody);

    public static async Task<ScriptedOcspResponder> StartAsync()
    {
        ScriptedOcspResponder? responder = null;
        var (app, uri) = await StaticHttpServer.StartLoopbackAsync(context => responder!.HandleAsync(context));
        responder = new ScriptedOcspResponder(app, uri);
        return responder;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>
    /// RFC 6960 Appendix A.1: POST carries the DER request as <c>application/ocsp-request</c>; GET carries it
    /// base64-encoded, then URL-encoded, as the path after the responder's URL.
    /// </summary>
    private static async Task<byte[]?> ReadRequestAsync(HttpRequest request)
    {
        if (HttpMethods.IsPost(request.Method))
        {
            if (!string.Equals(request.ContentType, RequestMediaType, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
            return buffer.ToArray();
        }

        if (HttpMethods.IsGet(request.Method))
        {
            try
            {
                return Convert.FromBase64String(Uri.UnescapeDataString(request.Path.Value?.TrimStart('/') ?? string.Empty));
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return null;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, context.RequestAborted);
        }

        var body = RawBody ?? Respond(await ReadRequestAsync(context.Request));
        Volatile.Write(ref _lastResponseBody, body);
        context.Response.StatusCode = HttpStatus;
        context.Response.ContentType = ContentType;
        await StaticHttpServer.WriteBodyAsync(context, body, DeclaredContentLengthExtra);
    }

    /// <summary>The scripted answer, or malformedRequest (RFC 6960 §4.2.1) for a body that is not an OCSPRequest.</summary>
    private byte[] Respond(byte[]? requestDer)
    {
        OcspQuery query;
        try
        {
            query = OcspQuery.Parse(requestDer ?? throw new AsnContentException("No OCSP request."));
        }
        catch (AsnContentException)
        {
            return OcspResponseWriter.WriteError(1);
        }

        return OcspResponseWriter.Write(Answer(query), query);
    }
}
