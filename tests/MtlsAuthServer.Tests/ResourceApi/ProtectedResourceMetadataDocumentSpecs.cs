using MtlsAuthServer.CertificateBinding.Metadata;

namespace MtlsAuthServer.Tests.ResourceApi;

/// <summary>The binding library's RFC 9728 document: where it is published and what it refuses to publish.</summary>
public sealed class ProtectedResourceMetadataDocumentSpecs
{
    [Theory]
    [InlineData("https://api.example/", "https://api.example/.well-known/oauth-protected-resource")]
    [InlineData("https://api.example", "https://api.example/.well-known/oauth-protected-resource")]
    [InlineData("https://api.example:8445/v1", "https://api.example:8445/.well-known/oauth-protected-resource/v1")]
    [InlineData("https://api.example/v1/", "https://api.example/.well-known/oauth-protected-resource/v1")]
    public void The_well_known_segment_goes_between_the_host_and_the_resources_path(string resource, string expected)
    {
        // RFC 9728 §3.1: insert the well-known segment after the host, remove any terminating slash.
        Assert.Equal(expected, ProtectedResourceMetadata.MetadataUriFor(resource).AbsoluteUri);
    }

    [Fact]
    public void A_document_with_defaults_describes_header_only_certificate_bound_tokens()
    {
        var metadata = new ProtectedResourceMetadata { Resource = "https://api.example/", AuthorizationServers = ["https://as.example/"] };

        Assert.Empty(metadata.Errors());
        Assert.Equal(["header"], metadata.BearerMethodsSupported);
        Assert.True(metadata.TlsClientCertificateBoundAccessTokens);
    }

    [Theory]
    [InlineData("http://api.example/", "https://as.example/", "api:read", "header", "resource")]
    [InlineData("https://api.example/#x", "https://as.example/", "api:read", "header", "resource")]
    [InlineData("https://api.example/", "https://as.example/?q=1", "api:read", "header", "authorization_servers")]
    [InlineData("https://api.example/", "https://as.example/", "api read", "header", "scopes_supported")]
    [InlineData("https://api.example/", "https://as.example/", "api:read", "cookie", "bearer_methods_supported")]
    public void An_invalid_document_is_refused_naming_the_field(string resource, string issuer, string scope, string method, string field)
    {
        var metadata = new ProtectedResourceMetadata
        {
            Resource = resource,
            AuthorizationServers = [issuer],
            ScopesSupported = [scope],
            BearerMethodsSupported = [method],
        };

        Assert.StartsWith(field + ":", Assert.Single(metadata.Errors()), StringComparison.Ordinal);
    }
}
