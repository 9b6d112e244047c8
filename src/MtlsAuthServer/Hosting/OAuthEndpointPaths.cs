using System.Text.Json;
using MtlsAuthServer.Tokens;

namespace MtlsAuthServer.Hosting;

/// <summary>The OAuth endpoints' paths and their short names, and their error answer, for the middleware in front of OpenIddict.</summary>
public static class OAuthEndpointPaths
{
    private static readonly (PathString Path, string Endpoint)[] Endpoints =
    [
        (new("/token"), EndpointNames.Token),
        (new("/introspect"), EndpointNames.Introspection),
        (new("/revoke"), EndpointNames.Revocation),
    ];

    /// <returns>The endpoint's short name (<see cref="EndpointNames"/>), or null when the path is no OAuth endpoint.</returns>
    /// <remarks>Matched as OpenIddict matches its endpoints: case-insensitive, with or without one trailing slash
    /// (<c>/token/</c> reaches the token endpoint, so it must meet the same guards).</remarks>
    public static string? EndpointOf(PathString path)
    {
        var value = path.Value;
        if (value is { Length: > 1 } && value[^1] == '/')
        {
            path = new PathString(value[..^1]);
        }

        return Endpoints.FirstOrDefault(e => path.Equals(e.Path, StringComparison.OrdinalIgnoreCase)).Endpoint;
    }

    /// <summary>RFC 6749 §5.2 error response: JSON body, never cached.</summary>
    public static async Task WriteErrorAsync(HttpContext context, int status, string error, string description)
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
