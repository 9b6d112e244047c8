using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// Discovery says what this server serves and nothing else (RFC 8414 §2): <c>scopes_supported</c> lists the registered
/// scopes (OpenIddict would say <c>["openid"]</c>), and the OpenID Connect and authorization-endpoint metadata
/// OpenIddict adds by default (ID token algorithms, claims, subject types, prompt values, request objects, PAR, the
/// authorization response <c>iss</c>) is left out: a client-credentials server has no ID tokens and no authorization
/// endpoint, and a client must not be invited to use features that are not there.
/// </summary>
public sealed class DescribeOnlyServedMetadata(ScopeResourceCatalog scopes) : IOpenIddictServerHandler<HandleConfigurationRequestContext>
{
    private static readonly string[] AuthorizationEndpointMetadata =
    [
        Metadata.ClaimsParameterSupported,
        Metadata.RequestParameterSupported,
        Metadata.RequestUriParameterSupported,
        Metadata.AuthorizationResponseIssParameterSupported,
        Metadata.RequirePushedAuthorizationRequests,
    ];

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleConfigurationRequestContext>()
            .UseSingletonHandler<DescribeOnlyServedMetadata>()
            .SetOrder(OpenIddictServerHandlers.Discovery.AttachAdditionalMetadata.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(HandleConfigurationRequestContext context)
    {
        context.Scopes.Clear();
        context.Scopes.UnionWith(await scopes.NamesAsync(context.CancellationToken));
        context.Claims.Clear();
        context.SubjectTypes.Clear();
        context.PromptValues.Clear();
        context.IdTokenSigningAlgorithms.Clear();
        context.ResponseTypes.Clear();
        context.ResponseModes.Clear();
        context.CodeChallengeMethods.Clear();
        foreach (var name in AuthorizationEndpointMetadata)
        {
            // An empty value is written after OpenIddict's own fields and removes the field from the document.
            context.Metadata[name] = default;
        }
    }
}
