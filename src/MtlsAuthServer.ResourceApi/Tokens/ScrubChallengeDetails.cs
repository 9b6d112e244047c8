using OpenIddict.Validation;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Validation.OpenIddictValidationEvents;

namespace MtlsAuthServer.ResourceApi.Tokens;

/// <summary>
/// RFC 6750 §3 challenges carry the error code and a fixed description only: OpenIddict's own descriptions and
/// error_uri name the library and the failed check, which a caller does not need (the reason is in our log).
/// </summary>
public sealed class ScrubChallengeDetails : IOpenIddictValidationHandler<ProcessChallengeContext>
{
    public static OpenIddictValidationHandlerDescriptor Descriptor { get; } =
        OpenIddictValidationHandlerDescriptor.CreateBuilder<ProcessChallengeContext>()
            .UseSingletonHandler<ScrubChallengeDetails>()
            .SetOrder(OpenIddictValidationHandlers.AttachCustomChallengeParameters.Descriptor.Order - 1_000)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ProcessChallengeContext context)
    {
        context.Response.ErrorUri = null;
        context.Response.ErrorDescription = context.Response.Error switch
        {
            Errors.InvalidToken => CertificateBindingEnforcer.ClientDescription,
            Errors.InsufficientScope => "The access token does not grant the scope this request needs.",
            Errors.MissingToken => null,
            _ => "The access token could not be validated.",
        };
        return ValueTask.CompletedTask;
    }
}
