using System.Text.Json.Serialization;
using MtlsAuthServer.CertificateBinding;
using MtlsAuthServer.ResourceApi.Authorization;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MtlsAuthServer.ResourceApi.Api;

public static class ApiEndpoints
{
    /// <summary>The sample API: who am I (any valid bound token) and create an order (scope <c>api:write</c>).</summary>
    public static WebApplication MapApi(this WebApplication app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/whoami", (HttpContext context) => TypedResults.Ok(WhoAmI.Of(context))).RequireAuthorization(ApiPolicies.Caller);
        api.MapPost("/orders", (HttpContext context, OrderRequest? order) =>
                TypedResults.Created($"/api/orders/{Guid.NewGuid():N}", new OrderAccepted(order?.Item ?? "-", WhoAmI.Of(context).ClientId)))
            .RequireAuthorization(ApiPolicies.Write);
        return app;
    }
}

public sealed record OrderRequest(string? Item);

public sealed record OrderAccepted(
    [property: JsonPropertyName("item")] string Item,
    [property: JsonPropertyName("client_id")] string ClientId);

/// <summary>What the API knows about the caller: the token's client, scopes and the certificate it is bound to.</summary>
public sealed record WhoAmI(
    [property: JsonPropertyName("client_id")] string ClientId,
    [property: JsonPropertyName("sub")] string? Subject,
    [property: JsonPropertyName("scopes")] IReadOnlyList<string> Scopes,
    [property: JsonPropertyName("aud")] IReadOnlyList<string> Audiences,
    [property: JsonPropertyName("x5t#S256")] string? BoundThumbprint,
    [property: JsonPropertyName("certificate_subject")] string? CertificateSubject,
    [property: JsonPropertyName("expires_at")] DateTimeOffset? ExpiresAt)
{
    public static WhoAmI Of(HttpContext context)
    {
        var user = context.User;
        Span<byte> hash = stackalloc byte[CertificateThumbprint.Sha256Length];
        var bound = user.GetClaim("cnf") is { } cnf && CertificateBindingVerifier.TryReadThumbprint(cnf, hash, out var thumbprint) ? thumbprint : null;
        return new WhoAmI(
            user.GetClaim(Claims.ClientId) ?? user.GetClaim(Claims.Subject) ?? "-",
            user.GetClaim(Claims.Subject),
            [.. user.GetScopes()],
            [.. user.GetAudiences()],
            bound,
            context.Connection.ClientCertificate?.Subject,
            user.GetExpirationDate());
    }
}
