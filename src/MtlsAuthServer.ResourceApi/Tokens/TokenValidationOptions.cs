using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace MtlsAuthServer.ResourceApi.Tokens;

public enum TokenValidationMode
{
    /// <summary>Validate the JWT here with the keys from the token server's discovery document / JWKS.</summary>
    Local,

    /// <summary>Ask the token server (RFC 7662 introspection on its mTLS alias) whether the token is active.</summary>
    Introspection,
}

/// <summary>Configuration section <c>TokenValidation</c>.</summary>
public sealed class TokenValidationOptions
{
    public const string Section = "TokenValidation";

    public TokenValidationMode Mode { get; set; } = TokenValidationMode.Local;

    /// <summary>The token server's issuer (its public listener): discovery and JWKS are fetched from here; tokens must carry it as <c>iss</c>.</summary>
    [Required]
    public string Issuer { get; set; } = string.Empty;

    /// <summary>The <c>aud</c> a token must carry to be accepted here.</summary>
    [Required]
    public string Audience { get; set; } = string.Empty;

    /// <summary>True (default): tokens without <c>cnf.x5t#S256</c> are refused (RFC 8705 §3).</summary>
    public bool RequireCertificateBoundTokens { get; set; } = true;

    /// <summary>
    /// False turns the certificate-binding check off entirely (ours and OpenIddict's): a stolen token then works from
    /// any certificate. It exists only so the benchmark can show what the check costs; logged as Critical at start-up.
    /// </summary>
    public bool EnforceCertificateBinding { get; set; } = true;

    /// <summary>Tolerance for clock differences with the token server when checking <c>exp</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Upper bound for one call to the token server (discovery, JWKS, introspection).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan TokenServerTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>CA bundle the token server's TLS certificate must chain to; defaults to <c>TrustAnchors:Path</c>.</summary>
    public string? TokenServerTrustAnchorsPath { get; set; }

    public IntrospectionOptions Introspection { get; set; } = new();
}

/// <summary>Configuration section <c>TokenValidation:Introspection</c> (used when <c>Mode</c> is <c>Introspection</c>).</summary>
public sealed class IntrospectionOptions
{
    /// <summary>This API's client_id at the token server (a <c>tls_client_auth</c> client).</summary>
    public string ClientId { get; set; } = string.Empty;

    /// <summary>This API's own client certificate for <c>tls_client_auth</c> at the introspection endpoint (PEM or PFX).</summary>
    public string CertificatePath { get; set; } = string.Empty;

    public string? KeyPath { get; set; }

    public string? Password { get; set; }

    /// <summary>
    /// How long an active introspection result is reused (never past the token's <c>exp</c>). A token revoked at the
    /// token server is still accepted here for up to this long; 0 disables the cache (one introspection per request).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most introspection results kept at once.</summary>
    [Range(1, 1_000_000)]
    public int CacheSize { get; set; } = 10_000;
}

/// <summary>Checks that depend on more than one key; each message names the key to fix.</summary>
public sealed class TokenValidationOptionsValidator : IValidateOptions<TokenValidationOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenValidationOptions options)
    {
        var errors = new List<string>();
        if (!Uri.TryCreate(options.Issuer, UriKind.Absolute, out var issuer) || issuer.Scheme != Uri.UriSchemeHttps
            || !string.IsNullOrEmpty(issuer.Query) || !string.IsNullOrEmpty(issuer.Fragment))
        {
            errors.Add($"{TokenValidationOptions.Section}:Issuer: '{options.Issuer}' must be an absolute https URL without query or fragment.");
        }

        if (options.Mode == TokenValidationMode.Introspection)
        {
            if (string.IsNullOrWhiteSpace(options.Introspection.ClientId))
            {
                errors.Add($"{TokenValidationOptions.Section}:Introspection:ClientId is required when Mode is Introspection.");
            }

            if (string.IsNullOrWhiteSpace(options.Introspection.CertificatePath))
            {
                errors.Add($"{TokenValidationOptions.Section}:Introspection:CertificatePath is required when Mode is Introspection (tls_client_auth).");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
