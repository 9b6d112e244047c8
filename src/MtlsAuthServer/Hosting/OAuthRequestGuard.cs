using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace MtlsAuthServer.Hosting;

/// <summary>
/// Reads the form of a POST to an OAuth endpoint under tight limits before OpenIddict sees it, and turns
/// oversized, malformed or repeated-parameter bodies into the OAuth error shape (<c>invalid_request</c>)
/// instead of the 500 or bare 413 the stack would give. RFC 6749 §3.1: parameters MUST NOT repeat.
/// </summary>
public sealed class OAuthRequestGuard(RequestDelegate next, IOptions<ListenerOptions> listeners)
{
    private static readonly PathString[] OAuthPaths = [new("/token"), new("/introspect"), new("/revoke")];

    private readonly FormOptions _limits = new()
    {
        ValueCountLimit = 64,
        KeyLengthLimit = 256,
        ValueLengthLimit = (int)Math.Min(listeners.Value.MaxRequestBodyBytes, int.MaxValue),
        MultipartBodyLengthLimit = listeners.Value.MaxRequestBodyBytes,
        BufferBody = false,
    };

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method) || !OAuthPaths.Any(path => request.Path.Equals(path, StringComparison.OrdinalIgnoreCase))
            || !request.HasFormContentType)
        {
            await next(context);
            return;
        }

        context.Features.Set<IFormFeature>(new FormFeature(request, _limits));
        try
        {
            var form = await request.ReadFormAsync(context.RequestAborted);
            var repeated = form.FirstOrDefault(field => field.Value.Count > 1).Key;
            if (repeated is not null)
            {
                await WriteErrorAsync(context, StatusCodes.Status400BadRequest, $"The '{Truncate(repeated)}' parameter must not be repeated.");
                return;
            }
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, "The request body is too large.");
            return;
        }
        catch (Exception exception) when (exception is InvalidDataException or BadHttpRequestException or IOException)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "The request body is not a valid form.");
            return;
        }

        await next(context);
    }

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40];

    private static async Task WriteErrorAsync(HttpContext context, int status, string description)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json;charset=UTF-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
        await JsonSerializer.SerializeAsync(context.Response.Body,
            new Dictionary<string, string> { ["error"] = "invalid_request", ["error_description"] = description },
            cancellationToken: context.RequestAborted);
    }
}
