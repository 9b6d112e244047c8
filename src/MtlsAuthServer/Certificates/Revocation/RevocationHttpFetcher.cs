using Microsoft.Extensions.Options;

namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>
/// The only code that reaches out for revocation data: plain HTTP(S) GET/POST, bounded in time and size.
/// It is only called for certificates whose chain already built to a configured trust anchor.
/// </summary>
public sealed class RevocationHttpFetcher(IHttpClientFactory clients, IOptionsMonitor<RevocationOptions> options)
{
    public const string ClientName = "revocation";

    /// <summary>GET (CRLs): any content type is accepted, since CRL hosts label the same bytes in many ways.</summary>
    public async Task<byte[]> GetAsync(Uri uri, CancellationToken cancellationToken) =>
        await SendAsync(new HttpRequestMessage(HttpMethod.Get, uri), expectedMediaType: null, cancellationToken).ConfigureAwait(false);

    /// <summary>POST (OCSP): the answer must be labelled <paramref name="expectedMediaType"/>, else it is a failed fetch.</summary>
    public async Task<byte[]> PostAsync(Uri uri, byte[] body, string contentType, string expectedMediaType, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        return await SendAsync(new HttpRequestMessage(HttpMethod.Post, uri) { Content = content }, expectedMediaType, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The primary handler of the <see cref="ClientName"/> client.</summary>
    public static SocketsHttpHandler CreatePrimaryHandler() => new()
    {
        // Revocation endpoints are plain HTTP by design (RFC 5280 §4.2.1.13); a redirect could lead anywhere.
        AllowAutoRedirect = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),

        // A new connection per fetch. Each URL is fetched at most once per refresh interval, so pooling saves nothing,
        // and SocketsHttpHandler pools a connection after an HTTP/1.0 reply without "Connection: close" (OpenSSL's
        // responder answers so and then closes): the next request on it races that close and fails with a reset.
        PooledConnectionLifetime = TimeSpan.Zero,
        UseProxy = false,
    };

    public static bool IsFetchable(Uri uri) => uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private async Task<byte[]> SendAsync(HttpRequestMessage request, string? expectedMediaType, CancellationToken cancellationToken)
    {
        using (request)
        {
            if (!IsFetchable(request.RequestUri!))
            {
                throw new RevocationFetchException($"scheme '{request.RequestUri!.Scheme}' is not fetched");
            }

            var settings = options.CurrentValue;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(settings.FetchTimeout);
            try
            {
                using var response = await clients.CreateClient(ClientName)
                    .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    throw new RevocationFetchException($"HTTP {(int)response.StatusCode}");
                }

                if (expectedMediaType is not null
                    && !string.Equals(response.Content.Headers.ContentType?.MediaType, expectedMediaType, StringComparison.OrdinalIgnoreCase))
                {
                    throw new RevocationFetchException($"content type '{response.Content.Headers.ContentType?.MediaType}' is not {expectedMediaType}");
                }

                if (response.Content.Headers.ContentLength > settings.MaxCrlBytes)
                {
                    throw new RevocationFetchException("response too large");
                }

                await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
                using var buffer = new MemoryStream();
                var chunk = new byte[16 * 1024];
                int read;
                try
                {
                    while ((read = await stream.ReadAsync(chunk, timeout.Token).ConfigureAwait(false)) > 0)
                    {
                        if (buffer.Length + read > settings.MaxCrlBytes)
                        {
                            throw new RevocationFetchException("response too large");
                        }

                        buffer.Write(chunk, 0, read);
                    }
                }
                catch (Exception exception) when (exception is IOException or HttpRequestException)
                {
                    // e.g. a body shorter than its Content-Length: the connection ended mid-answer.
                    throw new RevocationFetchException($"the answer was cut short after {buffer.Length} bytes ({exception.GetType().Name})");
                }

                return buffer.ToArray();
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new RevocationFetchException($"no answer within {settings.FetchTimeout.TotalMilliseconds:0} ms");
            }
            catch (HttpRequestException exception)
            {
                // The error kind is the stable part (ConnectionError, ResponseEnded, ...); an "Unknown" kind is explained by the inner error.
                throw new RevocationFetchException(exception.HttpRequestError != HttpRequestError.Unknown || exception.InnerException is null
                    ? exception.HttpRequestError.ToString()
                    : $"{exception.HttpRequestError} ({exception.InnerException.GetType().Name}: {exception.InnerException.Message})");
            }
            catch (IOException exception)
            {
                throw new RevocationFetchException($"the connection failed ({exception.GetType().Name})");
            }
        }
    }
}

/// <summary>A fetch of revocation data failed; the message is safe to log.</summary>
public sealed class RevocationFetchException(string message) : Exception(message);

/// <summary>Turns whatever a fetch threw into one line for logs and the rejection detail.</summary>
internal static class RevocationFetchFailure
{
    private const int MaxLength = 300;

    public static string Describe(Exception exception)
    {
        var message = exception switch
        {
            RevocationFetchException or System.Security.Cryptography.CryptographicException or InvalidDataException => exception.Message,
            _ => $"unexpected {exception.GetType().Name}: {exception.Message}",
        };
        return message.Length <= MaxLength ? message : message[..MaxLength] + "…";
    }
}
