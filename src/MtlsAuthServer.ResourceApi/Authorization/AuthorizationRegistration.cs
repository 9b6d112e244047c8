using Microsoft.AspNetCore.Authorization;
using OpenIddict.Validation.AspNetCore;

namespace MtlsAuthServer.ResourceApi.Authorization;

public static class AuthorizationRegistration
{
    /// <summary>Policies (an authenticated caller; one per scope) and the handler that turns refusals into RFC 6750 challenges.</summary>
    public static WebApplicationBuilder AddApiAuthorization(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicies.Caller, policy => Caller(policy))
            .AddPolicy(ApiPolicies.Read, policy => Caller(policy).AddRequirements(new ScopeRequirement(ApiPolicies.Read)))
            .AddPolicy(ApiPolicies.Write, policy => Caller(policy).AddRequirements(new ScopeRequirement(ApiPolicies.Write)));
        builder.Services.AddSingleton<IAuthorizationHandler, ScopeRequirementHandler>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, BearerChallengeResultHandler>();
        return builder;
    }

    private static AuthorizationPolicyBuilder Caller(AuthorizationPolicyBuilder policy) =>
        policy.AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme).RequireAuthenticatedUser();
}
