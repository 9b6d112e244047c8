namespace MtlsAuthServer.ResourceApi.Authorization;

/// <summary>Names of the API's authorization policies.</summary>
public static class ApiPolicies
{
    /// <summary>Any valid, certificate-bound token for this API.</summary>
    public const string Caller = "caller";

    /// <summary>A token granting <c>api:read</c>.</summary>
    public const string Read = "api:read";

    /// <summary>A token granting <c>api:write</c>.</summary>
    public const string Write = "api:write";

    /// <summary>Every scope a policy requires: the API's <c>scopes_supported</c> (RFC 9728 §2).</summary>
    public static IReadOnlyList<string> Scopes { get; } = [Read, Write];
}
