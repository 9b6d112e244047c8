using System.Text.Json.Serialization;

namespace MtlsAuthServer.CertificateBinding.Metadata;

/// <summary>
/// RFC 9728 OAuth 2.0 Protected Resource Metadata: what a client needs to know to call this resource server, served
/// by <see cref="ProtectedResourceMetadataExtensions.MapProtectedResourceMetadata"/>. The defaults describe an RFC 8705
/// resource server: tokens in the <c>Authorization</c> header only, bound to the caller's certificate.
/// </summary>
public sealed class ProtectedResourceMetadata
{
    /// <summary>RFC 9728 §3: the well-known path segment the metadata is published under.</summary>
    public const string WellKnownPath = "/.well-known/oauth-protected-resource";

    private static readonly string[] KnownBearerMethods = ["header", "body", "query"];

    /// <summary>
    /// The resource identifier (RFC 9728 §1.2: an https URL without fragment; we also refuse a query). Always the
    /// configured public URL: never built from the request's Host header, which the caller controls.
    /// </summary>
    [JsonPropertyName("resource")]
    public string Resource { get; set; } = string.Empty;

    /// <summary>Issuer identifiers (RFC 8414) of the authorization servers whose tokens this resource accepts.</summary>
    [JsonPropertyName("authorization_servers")]
    public IList<string> AuthorizationServers { get; init; } = [];

    /// <summary>The scopes this resource's authorization rules use.</summary>
    [JsonPropertyName("scopes_supported")]
    public IList<string> ScopesSupported { get; init; } = [];

    /// <summary>RFC 9728 §2: how a token may be presented; <c>header</c> only (RFC 6750 §2.1), tokens in URLs end up in logs.</summary>
    [JsonPropertyName("bearer_methods_supported")]
    public IList<string> BearerMethodsSupported { get; init; } = ["header"];

    /// <summary>RFC 9728 §2 / RFC 8705 §3: this resource only honours certificate-bound access tokens.</summary>
    [JsonPropertyName("tls_client_certificate_bound_access_tokens")]
    public bool TlsClientCertificateBoundAccessTokens { get; set; } = true;

    /// <summary>
    /// RFC 9728 §3.1: where the metadata of <paramref name="resource"/> lives: the well-known segment goes between the
    /// host and the resource's path (a terminating slash removed), so <c>https://api.example/v1</c> publishes at
    /// <c>https://api.example/.well-known/oauth-protected-resource/v1</c>.
    /// </summary>
    public static Uri MetadataUriFor(string resource)
    {
        var uri = new Uri(resource, UriKind.Absolute);
        return new Uri(uri.GetLeftPart(UriPartial.Authority) + PathFor(uri));
    }

    /// <summary>This document's URL, for the <c>resource_metadata</c> parameter of a challenge (RFC 9728 §5.1).</summary>
    [JsonIgnore]
    public Uri MetadataUri => MetadataUriFor(Resource);

    /// <summary>What is wrong with this document; empty when it can be published.</summary>
    public IReadOnlyList<string> Errors()
    {
        var errors = new List<string>();
        if (ResourceError(Resource) is { } resourceError)
        {
            errors.Add($"resource: {resourceError}");
        }

        if (AuthorizationServers.Count == 0)
        {
            errors.Add("authorization_servers: name at least one authorization server's issuer.");
        }

        errors.AddRange(AuthorizationServers.Where(issuer => !IsHttpsUrlWithoutQueryOrFragment(issuer))
            .Select(issuer => $"authorization_servers: '{issuer}' must be an absolute https URL without query or fragment (RFC 8414 §2)."));
        errors.AddRange(ScopesSupported.Where(scope => string.IsNullOrWhiteSpace(scope) || scope.Contains(' ', StringComparison.Ordinal))
            .Select(scope => $"scopes_supported: '{scope}' is not a scope token (RFC 6749 §3.3)."));
        errors.AddRange(BearerMethodsSupported.Where(method => !KnownBearerMethods.Contains(method, StringComparer.Ordinal))
            .Select(method => $"bearer_methods_supported: '{method}' is not one of header, body, query (RFC 9728 §2)."));
        return errors;
    }

    /// <summary>Why <paramref name="resource"/> can't be a resource identifier, or null when it can.</summary>
    public static string? ResourceError(string? resource) => IsHttpsUrlWithoutQueryOrFragment(resource)
        ? null
        : $"'{resource}' must be an absolute https URL without query or fragment (RFC 9728 §1.2).";

    internal static string PathFor(Uri resource) => WellKnownPath + resource.AbsolutePath.TrimEnd('/');

    private static bool IsHttpsUrlWithoutQueryOrFragment(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
        && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment) && !value.Contains('#', StringComparison.Ordinal);
}
