using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using MtlsAuthServer.Certificates.Revocation;

namespace MtlsAuthServer.Tests.Revocation;

/// <summary>
/// Real HTTP through the server's own "revocation" handler, counting the requests sent to each URL, and can answer
/// chosen URLs itself (a CRL host) without a listener.
/// </summary>
internal sealed class RecordingHttpClientFactory : IHttpClientFactory, IDisposable
{
    private readonly Handler _handler = new(RevocationHttpFetcher.CreatePrimaryHandler());

    public int RequestsTo(Uri uri) => _handler.Counts.TryGetValue(uri.AbsoluteUri, out var count) ? count : 0;

    /// <summary>Answers GET/POST to <paramref name="uri"/> with <paramref name="body"/> instead of going to the network.</summary>
    public void Serve(Uri uri, byte[] body, string contentType) => _handler.Canned[uri.AbsoluteUri] = (HttpStatusCode.OK, body, contentType);

    /// <summary>Answers requests to <paramref name="uri"/> with an empty 404.</summary>
    public void NotFound(Uri uri) => _handler.Canned[uri.AbsoluteUri] = (HttpStatusCode.NotFound, [], "text/plain");

    public HttpClient CreateClient(string name) => new(_handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };

    public void Dispose() => _handler.Dispose();

    private sealed class Handler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        public ConcurrentDictionary<string, int> Counts { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, (HttpStatusCode Status, byte[] Body, string ContentType)> Canned { get; } = new(StringComparer.Ordinal);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!.AbsoluteUri;
            Counts.AddOrUpdate(uri, 1, (_, count) => count + 1);
            if (!Canned.TryGetValue(uri, out var canned))
            {
                return base.SendAsync(request, cancellationToken);
            }

            var content = new ByteArrayContent(canned.Body);
            content.Headers.ContentType = new MediaTypeHeaderValue(canned.ContentType);
            return Task.FromResult(new HttpResponseMessage(canned.Status) { Content = content, RequestMessage = request });
        }
    }
}
