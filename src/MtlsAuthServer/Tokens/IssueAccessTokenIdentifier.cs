using System.Buffers.Text;
using System.Security.Cryptography;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// Gives every access token a <c>jti</c> of 256 random bits. OpenIddict's own is a version-4 GUID, 122 random bits,
/// below the 128 bits FAPI 2.0 SP §5.4.1 requires of access tokens; resource servers use the jti to recognise a token
/// (replay caches, deny lists), so it must not be guessable either.
/// </summary>
public sealed class IssueAccessTokenIdentifier : IOpenIddictServerHandler<GenerateTokenContext>
{
    public const int IdentifierBytes = 32;

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
            .UseSingletonHandler<IssueAccessTokenIdentifier>()
            .SetOrder(OpenIddictServerHandlers.Protection.GenerateIdentityModelToken.Descriptor.Order - 5)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(GenerateTokenContext context)
    {
        if (context.TokenType == TokenTypeIdentifiers.AccessToken && context.SecurityTokenDescriptor is { } descriptor)
        {
            // Replaces the one OpenIddict's AttachTokenMetadata put there, before the token is created and signed.
            descriptor.Claims ??= new Dictionary<string, object>(StringComparer.Ordinal);
            descriptor.Claims[Claims.JwtId] = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(IdentifierBytes));
        }

        return ValueTask.CompletedTask;
    }
}
