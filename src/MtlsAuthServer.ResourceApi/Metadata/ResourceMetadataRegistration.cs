using Microsoft.Extensions.Options;
using MtlsAuthServer.CertificateBinding.Metadata;
using MtlsAuthServer.ResourceApi.Authorization;
using MtlsAuthServer.ResourceApi.Tokens;

namespace MtlsAuthServer.ResourceApi.Metadata;

public static class ResourceMetadataRegistration
{
    /// <summary><c>ResourceMetadata:Resource</c> (checked at start-up) and the <c>resource_metadata</c> challenge parameter.</summary>
    public static WebApplicationBuilder AddResourceMetadata(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ResourceMetadataOptions>().BindConfiguration(ResourceMetadataOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ResourceMetadataOptions>, ResourceMetadataOptionsValidator>();
        builder.Services.AddOpenIddict().AddValidation(validation => validation.AddEventHandler(AttachResourceMetadata.Descriptor));
        return builder;
    }

    /// <summary>
    /// RFC 9728 metadata through the binding library: this API's configured URL, the token server's issuer, the scopes
    /// its policies use, header-only tokens bound to certificates. Served without a token; on a listener with
    /// <c>Listener:RequireCertificateInHandshake=true</c> a client still needs a certificate to reach it.
    /// </summary>
    public static WebApplication MapResourceMetadata(this WebApplication app)
    {
        var resource = app.Services.GetRequiredService<IOptions<ResourceMetadataOptions>>().Value;
        var tokens = app.Services.GetRequiredService<IOptions<TokenValidationOptions>>().Value;
        app.MapProtectedResourceMetadata(new ProtectedResourceMetadata
        {
            Resource = resource.Resource,
            AuthorizationServers = [tokens.Issuer],
            ScopesSupported = [.. ApiPolicies.Scopes],
        });
        return app;
    }
}
