using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MtlsAuthServer.CertificateBinding.Metadata;

public static class ProtectedResourceMetadataExtensions
{
    /// <summary>
    /// Publishes <paramref name="metadata"/> (RFC 9728) in one call: <c>GET /.well-known/oauth-protected-resource</c>
    /// (plus the resource's path, RFC 9728 §3.1), anonymous (it is public metadata, read before the client has a
    /// token). The document is checked and serialised here, once: an invalid one stops the host at start-up, and later
    /// changes to <paramref name="metadata"/> change nothing. Each value comes from configuration, none from the request.
    /// </summary>
    public static IEndpointConventionBuilder MapProtectedResourceMetadata(this IEndpointRouteBuilder endpoints, ProtectedResourceMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(metadata);
        var errors = metadata.Errors();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("The protected resource metadata can't be published: " + string.Join(" ", errors));
        }

        var document = JsonSerializer.SerializeToUtf8Bytes(metadata);
        var path = ProtectedResourceMetadata.PathFor(new Uri(metadata.Resource, UriKind.Absolute));
        return endpoints.MapGet(path, () => Results.Bytes(document, "application/json")).AllowAnonymous();
    }
}
