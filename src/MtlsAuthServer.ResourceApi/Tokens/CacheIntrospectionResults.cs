using OpenIddict.Validation;
using static OpenIddict.Validation.OpenIddictValidationEvents;
using static OpenIddict.Validation.OpenIddictValidationHandlerFilters;
using static OpenIddict.Validation.OpenIddictValidationHandlers;

namespace MtlsAuthServer.ResourceApi.Tokens;

/// <summary>Before an introspection request is prepared: answer from the cache and skip the request on a hit.</summary>
public sealed class UseCachedIntrospection(IntrospectionCache cache) : IOpenIddictValidationHandler<ProcessAuthenticationContext>
{
    public static OpenIddictValidationHandlerDescriptor Descriptor { get; } =
        OpenIddictValidationHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
            .AddFilter<RequireIntrospectionRequest>()
            .UseSingletonHandler<UseCachedIntrospection>()
            .SetOrder(EvaluateIntrospectionRequest.Descriptor.Order + 500)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ProcessAuthenticationContext context)
    {
        if (!string.IsNullOrEmpty(context.AccessToken) && cache.Find(context.AccessToken) is { } principal)
        {
            context.AccessTokenPrincipal = principal;
            // Turns off every introspection step that follows; the binding check runs regardless.
            context.SendIntrospectionRequest = false;
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>After OpenIddict checked the introspected token's usage and audience: remember the result.</summary>
public sealed class StoreIntrospectionResult(IntrospectionCache cache) : IOpenIddictValidationHandler<ProcessAuthenticationContext>
{
    public static OpenIddictValidationHandlerDescriptor Descriptor { get; } =
        OpenIddictValidationHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
            .AddFilter<RequireIntrospectionRequest>()
            .UseSingletonHandler<StoreIntrospectionResult>()
            .SetOrder(ValidateIntrospectedTokenAudiences.Descriptor.Order + 250)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ProcessAuthenticationContext context)
    {
        if (!string.IsNullOrEmpty(context.AccessToken) && context.AccessTokenPrincipal is { } principal)
        {
            cache.Store(context.AccessToken, principal);
        }

        return ValueTask.CompletedTask;
    }
}
