using Microsoft.AspNetCore;
using OpenIddict.Validation;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Validation.OpenIddictValidationEvents;
using static OpenIddict.Validation.OpenIddictValidationHandlers;

namespace MtlsAuthServer.ResourceApi.Tokens;

/// <summary>
/// Local JWT validation: runs inside OpenIddict's token validation, after signature, lifetime and audience, just
/// before its own proof-of-possession check (which then agrees, or throws on a <c>cnf</c> it can't read).
/// </summary>
public sealed class EnforceCertificateBinding(CertificateBindingEnforcer enforcer) : IOpenIddictValidationHandler<ValidateTokenContext>
{
    public static OpenIddictValidationHandlerDescriptor Descriptor { get; } =
        OpenIddictValidationHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .UseSingletonHandler<EnforceCertificateBinding>()
            .SetOrder(Protection.ValidateProofOfPossession.Descriptor.Order - 500)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateTokenContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Principal is null || !context.ValidTokenTypes.Contains(TokenTypeIdentifiers.AccessToken))
        {
            return;
        }

        var http = context.Transaction.GetHttpRequest()?.HttpContext;
        if (await enforcer.CheckAsync(context.Principal, context.Transaction.RemoteCertificate, http) is { } rejection)
        {
            TokenRejection.Record(context.Transaction, rejection);
            context.Reject(Errors.InvalidToken, CertificateBindingEnforcer.ClientDescription);
        }
    }
}

/// <summary>
/// Introspection: runs on the principal the token server described (fresh or from the cache), just before
/// OpenIddict's own proof-of-possession check of introspected tokens.
/// </summary>
public sealed class EnforceIntrospectedCertificateBinding(CertificateBindingEnforcer enforcer) : IOpenIddictValidationHandler<ProcessAuthenticationContext>
{
    public static OpenIddictValidationHandlerDescriptor Descriptor { get; } =
        OpenIddictValidationHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
            .UseSingletonHandler<EnforceIntrospectedCertificateBinding>()
            .SetOrder(ValidateIntrospectedTokenProofOfPossession.Descriptor.Order - 250)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ProcessAuthenticationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Options.ValidationType != OpenIddictValidationType.Introspection || context.AccessTokenPrincipal is null)
        {
            return;
        }

        var http = context.Transaction.GetHttpRequest()?.HttpContext;
        if (await enforcer.CheckAsync(context.AccessTokenPrincipal, context.Transaction.RemoteCertificate, http) is { } rejection)
        {
            TokenRejection.Record(context.Transaction, rejection);
            context.Reject(Errors.InvalidToken, CertificateBindingEnforcer.ClientDescription);
        }
    }
}
