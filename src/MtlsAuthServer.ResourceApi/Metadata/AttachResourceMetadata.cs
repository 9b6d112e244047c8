using Microsoft.Extensions.Options;
using MtlsAuthServer.CertificateBinding.Metadata;
using OpenIddict.Validation;
using static OpenIddict.Validation.OpenIddictValidationEvents;

namespace MtlsAuthServer.ResourceApi.Metadata;

/// <summary>
/// RFC 9728 §5.1: every challenge names where the API's metadata is (<c>resource_metadata="…"</c>), so a client that
/// got a 401 can find the authorization server and learn that tokens must be certificate-bound. OpenIddict writes
/// each response parameter into <c>WWW-Authenticate</c>, also on a challenge without a token (RFC 6750 §3.1).
/// </summary>
public sealed class AttachResourceMetadata(IOptions<ResourceMetadataOptions> options) : IOpenIddictValidationHandler<ProcessChallengeContext>
{
    public const string Parameter = "resource_metadata";

    private readonly string _metadataUri = ProtectedResourceMetadata.MetadataUriFor(options.Value.Resource).AbsoluteUri;

    public static OpenIddictValidationHandlerDescriptor Descriptor { get; } =
        OpenIddictValidationHandlerDescriptor.CreateBuilder<ProcessChallengeContext>()
            .UseSingletonHandler<AttachResourceMetadata>()
            .SetOrder(OpenIddictValidationHandlers.AttachCustomChallengeParameters.Descriptor.Order + 1_000)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ProcessChallengeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response[Parameter] = _metadataUri;
        return ValueTask.CompletedTask;
    }
}
