using System.Net.Http.Headers;
using System.Text.Json;
using MediaTypeHeaderValue = Microsoft.Net.Http.Headers.MediaTypeHeaderValue;

namespace MtlsAuthServer.Registration;

/// <summary>
/// What the registration endpoints read from a request and how they answer, so that nothing a caller sends can end in
/// a 500: the bearer token (RFC 6750 §2.1, one header, one token), a bounded JSON body, the RFC 7591 §3.2 responses.
/// </summary>
public static class RegistrationHttp
{
    public const int MaxTokenLength = 512;

    /// <summary>The bearer token of the request; <paramref name="malformed"/> when an Authorization header is there but is not one bearer token.</summary>
    public static string? BearerToken(HttpRequest request, out bool malformed)
    {
        malformed = false;
        var headers = request.Headers.Authorization;
        if (headers.Count == 0)
        {
            return null;
        }

        if (headers.Count > 1 || !AuthenticationHeaderValue.TryParse(headers[0], out var value)
            || !string.Equals(value.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
            || value.Parameter is not { Length: > 0 and <= MaxTokenLength } token || token.Contains(' ', StringComparison.Ordinal))
        {
            malformed = true;
            return null;
        }

        return token;
    }

    /// <summary>
    /// The request body if it is JSON of at most <see cref="ClientMetadataDocument.MaxBytes"/>; otherwise the refusal. Read
    /// with a bound of our own: a body without Content-Length (chunked) can't run past it either.
    /// </summary>
    public static async Task<(ReadOnlyMemory<byte> Body, RegistrationRefusal? Refusal, string Detail)> ReadJsonBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (type.Charset.HasValue && !type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            return (default, RegistrationRefusal.MalformedRegistrationRequest, "the Content-Type is not application/json (UTF-8)");
        }

        if (request.ContentLength > ClientMetadataDocument.MaxBytes)
        {
            return (default, RegistrationRefusal.RegistrationBodyTooLarge, $"Content-Length {request.ContentLength} is over {ClientMetadataDocument.MaxBytes} bytes");
        }

        var buffer = new byte[ClientMetadataDocument.MaxBytes + 1];
        var length = 0;
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
                if (length > ClientMetadataDocument.MaxBytes)
                {
                    return (default, RegistrationRefusal.RegistrationBodyTooLarge, $"the body is over {ClientMetadataDocument.MaxBytes} bytes");
                }
            }
        }
        catch (Exception exception) when (exception is BadHttpRequestException or IOException)
        {
            return (default, RegistrationRefusal.MalformedRegistrationRequest, "the body could not be read: " + exception.Message);
        }

        return (buffer.AsMemory(0, length), null, string.Empty);
    }

    /// <summary>RFC 7591 §3.2.2 / RFC 6750 §3 error answer; never cached.</summary>
    public static async Task WriteErrorAsync(HttpContext context, int status, string error, string description, bool bearerChallenge = false)
    {
        var response = context.Response;
        response.StatusCode = status;
        NoStore(response);
        if (bearerChallenge)
        {
            response.Headers.WWWAuthenticate = $"Bearer error=\"{error}\"";
        }

        response.ContentType = "application/json;charset=UTF-8";
        await JsonSerializer.SerializeAsync(response.Body, new Dictionary<string, string> { ["error"] = error, ["error_description"] = description },
            cancellationToken: context.RequestAborted);
    }

    /// <summary>RFC 7591 §3.2.1 / RFC 7592 §3 client information response.</summary>
    public static async Task WriteClientAsync(HttpContext context, int status, ManagedClient client, Uri clientUri, string? registrationAccessToken)
    {
        var response = context.Response;
        response.StatusCode = status;
        NoStore(response);
        response.ContentType = "application/json;charset=UTF-8";
        await using var writer = new Utf8JsonWriter(response.Body);
        writer.WriteStartObject();
        ClientMetadataDocument.Write(writer, client.ClientId, client.Record.CreatedAt, client.Metadata);
        if (registrationAccessToken is not null)
        {
            writer.WriteString("registration_access_token", registrationAccessToken);
        }

        writer.WriteString("registration_client_uri", clientUri.AbsoluteUri);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    private static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }
}
