using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// Signs every token with the key <see cref="SigningKeySchedule"/> names for now, instead of OpenIddict's first
/// registered key: all configured keys are registered (so the JWKS and OpenIddict's own validation know them), but
/// only one signs at a time. Runs after OpenIddict resolved the credentials, before the token is created.
/// </summary>
public sealed class SignWithScheduledKey(SigningKeySchedule schedule, ILogger<SignWithScheduledKey> logger) : IOpenIddictServerHandler<GenerateTokenContext>
{
    private int _rolloverLogged;

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
            .UseSingletonHandler<SignWithScheduledKey>()
            .SetOrder(OpenIddictServerHandlers.Protection.GenerateIdentityModelToken.Descriptor.Order - 10)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(GenerateTokenContext context)
    {
        if (context.SigningCredentials is null)
        {
            return ValueTask.CompletedTask; // A token OpenIddict doesn't sign (none here today): nothing to choose.
        }

        var now = context.Options.TimeProvider.GetUtcNow();
        var key = schedule.SigningAt(now);
        context.SigningCredentials = key.Credentials;
        if (context.SecurityTokenDescriptor is { } descriptor)
        {
            descriptor.SigningCredentials = key.Credentials;
        }

        if (key.Role == SigningKeyRole.Next && Interlocked.Exchange(ref _rolloverLogged, 1) == 0)
        {
            var replaced = schedule.Keys.Single(k => k.Role == SigningKeyRole.Current);
            SigningKeyLog.RolledOver(logger, key.Section, key.KeyId, key.Algorithm, replaced.PublishedUntil, key.SignsFrom);
        }

        return ValueTask.CompletedTask;
    }
}
