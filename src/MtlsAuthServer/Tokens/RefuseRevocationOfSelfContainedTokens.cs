using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// With <see cref="TokenStorage.SelfContained"/> there is no record to revoke: say so (RFC 7009 §2.2.1
/// <c>unsupported_token_type</c>) rather than answer 200 while the token keeps working.
/// </summary>
public sealed class RefuseRevocationOfSelfContainedTokens : IOpenIddictServerHandler<HandleRevocationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleRevocationRequestContext>()
            .UseSingletonHandler<RefuseRevocationOfSelfContainedTokens>()
            .SetOrder(int.MinValue + 100_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(HandleRevocationRequestContext context)
    {
        // Registered in both storage modes (the mode is configuration, read after registration); acts only without storage.
        if (!context.Options.DisableTokenStorage)
        {
            return ValueTask.CompletedTask;
        }

        context.Reject(Errors.UnsupportedTokenType,
            "This server issues self-contained access tokens, which cannot be revoked; they expire after their lifetime.");
        return ValueTask.CompletedTask;
    }
}
