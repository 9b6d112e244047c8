namespace MtlsAuthServer.Data;

/// <summary>
/// A client registered at run time (RFC 7591, or the <c>clients</c> command): its RFC 7592 management credential and
/// the metadata it registered. The client itself is an OpenIddict application like a configured one (what token
/// requests read); this row is what only registration management reads. Kept after deletion, for audit.
/// </summary>
public sealed class DynamicClientRegistration
{
    public const int MaxClientIdLength = 100; // OpenIddict's own bound on ClientId
    public const int TokenHashLength = 43; // base64url SHA-256, no padding
    public const int MaxRegisteredByLength = 200;

    public string ClientId { get; set; } = string.Empty;

    /// <summary>SHA-256 (base64url) of the registration access token; null once the registration is deleted.</summary>
    public string? RegistrationAccessTokenHash { get; set; }

    /// <summary>The registered client metadata, as the registration endpoint answers it (JSON, RFC 7591 names).</summary>
    public string Metadata { get; set; } = "{}";

    /// <summary>Who registered it: the policy that allowed it (initial access token, registration CA certificate, operator command).</summary>
    public string RegisteredBy { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When it was deleted (RFC 7592 §2.3) or disabled by an operator; the client can no longer authenticate.</summary>
    public DateTimeOffset? DisabledAt { get; set; }
}
