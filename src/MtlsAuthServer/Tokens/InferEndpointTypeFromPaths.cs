using Microsoft.AspNetCore;
using MtlsAuthServer.Hosting;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// Replaces OpenIddict's <c>InferEndpointType</c>, which builds an absolute URI for every configured endpoint on every
/// request to compare it with the request's (about 2.5 % of a token's CPU in a profile), by one lookup in the path
/// table the guards in front of OpenIddict already use (<see cref="OAuthEndpointPaths"/>): one decision shared by the
/// guards and the endpoint. The rules are OpenIddict's (case-insensitive, one optional trailing slash) on the path as
/// Kestrel decoded it, with one deliberate difference: the built-in handler re-encodes that path and decodes it again,
/// so <c>/tok%2565n</c> (decoded <c>/tok%65n</c>) was the token endpoint to OpenIddict and no endpoint to every guard.
/// Here it is no endpoint for both.
/// </summary>
public sealed class InferEndpointTypeFromPaths(OAuthEndpointPaths paths) : IOpenIddictServerHandler<ProcessRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessRequestContext>()
            .UseSingletonHandler<InferEndpointTypeFromPaths>()
            .SetOrder(OpenIddictServerHandlers.InferEndpointType.Descriptor.Order)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ProcessRequestContext context)
    {
        var request = context.Transaction.GetHttpRequest() ??
            throw new InvalidOperationException("The endpoint type is inferred from the ASP.NET Core request, and there is none.");
        context.EndpointType = paths.TypeOf(request.Path);
        return default;
    }
}
