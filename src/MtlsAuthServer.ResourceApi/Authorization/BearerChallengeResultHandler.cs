using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using MtlsAuthServer.ResourceApi.Diagnostics;
using MtlsAuthServer.ResourceApi.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MtlsAuthServer.ResourceApi.Authorization;

/// <summary>
/// The one place where an authorization outcome becomes a response and an audit record: a refused token gets
/// <c>401</c> + <c>WWW-Authenticate: Bearer error="invalid_token"</c>, a valid token without the scope gets
/// <c>403</c> + <c>error="insufficient_scope"</c> (RFC 6750 §3.1), each with its reason logged and counted.
/// </summary>
public sealed class BearerChallengeResultHandler(TokenValidationAudit audit) : IAuthorizationMiddlewareResultHandler
{
    private const string Scheme = OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme;

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var certificate = context.Connection.ClientCertificate;
        var path = context.Request.Path.Value ?? "/";
        if (authorizeResult.Challenged)
        {
            var (reason, detail, clientId) = await ClassifyAsync(context);
            var refusal = context.Features.Get<TokenServerRefusal>();
            if (reason == TokenRejectionReason.TokenServerUnavailable && refusal is not null)
            {
                // It did answer: OpenIddict reports any error answer as server_error, we say what it was.
                reason = TokenRejectionReason.TokenServerRefused;
            }

            audit.Rejected(reason, clientId, path, certificate, detail, refusal);
            if (reason is TokenRejectionReason.TokenServerUnavailable or TokenRejectionReason.TokenServerRefused)
            {
                // Not the caller's fault: a retryable answer rather than a claim that its token is bad.
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = "5";
                return;
            }

            await context.ChallengeAsync(Scheme);
            return;
        }

        if (authorizeResult.Forbidden)
        {
            var required = string.Join(' ', policy.Requirements.OfType<ScopeRequirement>().Select(r => r.Scope));
            var granted = string.Join(' ', context.User.GetScopes());
            audit.Rejected(TokenRejectionReason.InsufficientScope, ClientIdOf(context), path, certificate,
                $"requires scope '{required}', the token grants '{granted}'");
            var properties = new AuthenticationProperties();
            properties.Items[".error"] = Errors.InsufficientScope;
            properties.Items[".scope"] = required;
            await context.ForbidAsync(Scheme, properties);
            return;
        }

        if (authorizeResult.Succeeded && context.User.Identity?.IsAuthenticated == true)
        {
            audit.Accepted(ClientIdOf(context) ?? "-", certificate);
        }

        await next(context);
    }

    private static string? ClientIdOf(HttpContext context) => context.User.GetClaim(Claims.ClientId) ?? context.User.GetClaim(Claims.Subject);

    private static async Task<(TokenRejectionReason Reason, string Detail, string? ClientId)> ClassifyAsync(HttpContext context)
    {
        var transaction = context.Features.Get<OpenIddictValidationAspNetCoreFeature>()?.Transaction;
        if (TokenRejection.Find(transaction) is { } ours)
        {
            return (ours.Reason, ours.Detail, ours.ClientId);
        }

        var result = await context.AuthenticateAsync(Scheme);
        if (result.None || result.Failure is null)
        {
            return (TokenRejectionReason.TokenMissing, "the request carried no bearer token in the Authorization header", null);
        }

        var error = result.Properties?.GetString(".error");
        var errorUri = result.Properties?.GetString(".error_uri");
        var description = result.Properties?.GetString(".error_description") ?? "-";
        return (OpenIddictRejections.Classify(error, errorUri), $"{error}: {description}", null);
    }
}
