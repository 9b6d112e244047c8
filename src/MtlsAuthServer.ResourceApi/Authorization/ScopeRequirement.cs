using Microsoft.AspNetCore.Authorization;
using OpenIddict.Abstractions;

namespace MtlsAuthServer.ResourceApi.Authorization;

/// <summary>The token must grant this scope (RFC 6749 §3.3); a valid token without it gets <c>403 insufficient_scope</c>.</summary>
public sealed class ScopeRequirement(string scope) : IAuthorizationRequirement
{
    public string Scope { get; } = scope;
}

public sealed class ScopeRequirementHandler : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (context.User.Identity?.IsAuthenticated == true && context.User.HasScope(requirement.Scope))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
