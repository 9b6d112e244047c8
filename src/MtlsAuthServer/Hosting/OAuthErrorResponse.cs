using System.Text.Json;

namespace MtlsAuthServer.Hosting;

/// <summary>The one writer of OAuth errors the middleware in front of OpenIddict answers with (OpenIddict writes its own the same way).</summary>
public static class OAuthErrorResponse
{
    /// <summary>RFC 6749 §5.2 error response: a JSON object with <c>error</c> and <c>error_description</c>, never cached (§5.1).</summary>
    /// <param name="context">The request answered; nothing may have been written to its response yet.</param>
    /// <param name="status">400, 404, 413 or 503: what the guard decided.</param>
    /// <param name="error">An RFC 6749 error code (<c>OpenIddictConstants.Errors</c>).</param>
    /// <param name="description">For the client: what to change, never internals.</param>
    public static async Task WriteAsync(HttpContext context, int status, string error, string description)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json;charset=UTF-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
        await JsonSerializer.SerializeAsync(context.Response.Body,
            new Dictionary<string, string> { ["error"] = error, ["error_description"] = description },
            cancellationToken: context.RequestAborted);
    }
}
