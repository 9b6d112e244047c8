using Microsoft.Extensions.Options;
using MtlsAuthServer.CertificateBinding.Metadata;

namespace MtlsAuthServer.ResourceApi.Metadata;

/// <summary>Configuration section <c>ResourceMetadata</c>: what the API publishes about itself (RFC 9728).</summary>
public sealed class ResourceMetadataOptions
{
    public const string Section = "ResourceMetadata";

    /// <summary>
    /// The API's public base URL, published as <c>resource</c> and used for the <c>resource_metadata</c> challenge
    /// parameter. Configured, never taken from the Host header: a client could otherwise point other clients at itself.
    /// </summary>
    public string Resource { get; set; } = string.Empty;
}

/// <summary>Refuses the start when <c>ResourceMetadata:Resource</c> is missing or not a resource identifier.</summary>
public sealed class ResourceMetadataOptionsValidator : IValidateOptions<ResourceMetadataOptions>
{
    public ValidateOptionsResult Validate(string? name, ResourceMetadataOptions options)
    {
        return ProtectedResourceMetadata.ResourceError(options.Resource) is { } error
            ? ValidateOptionsResult.Fail($"{ResourceMetadataOptions.Section}:Resource: {error}")
            : ValidateOptionsResult.Success;
    }
}
