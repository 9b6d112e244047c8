using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// The JWKS lists a configured key only inside its publication window (<see cref="SigningKeySchedule"/>): the next key
/// from its lead time on, a replaced key until its last token has expired. OpenIddict lists every registered key.
/// </summary>
public sealed class PublishScheduledSigningKeys(SigningKeySchedule schedule) : IOpenIddictServerHandler<HandleJsonWebKeySetRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleJsonWebKeySetRequestContext>()
            .UseSingletonHandler<PublishScheduledSigningKeys>()
            .SetOrder(OpenIddictServerHandlers.Discovery.AttachSigningKeys.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(HandleJsonWebKeySetRequestContext context)
    {
        var now = context.Options.TimeProvider.GetUtcNow();
        context.Keys.RemoveAll(key => !schedule.IsPublishedAt(key.Kid, now));
        return ValueTask.CompletedTask;
    }
}
