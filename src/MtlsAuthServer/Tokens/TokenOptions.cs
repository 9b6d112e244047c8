using System.ComponentModel.DataAnnotations;

namespace MtlsAuthServer.Tokens;

/// <summary>Configuration section <c>Tokens</c>.</summary>
public sealed class TokenOptions
{
    public const string Section = "Tokens";

    /// <summary>The <c>iss</c> of every token and the base of discovery; defaults to the public listener's URL.</summary>
    public string? Issuer { get; set; }

    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Whether each issued token is recorded in the database (revocable) or self-contained (not revocable).</summary>
    public TokenStorage Storage { get; set; } = TokenStorage.Database;

    /// <summary>
    /// The token signing key: a PEM private key (EC P-256 → ES256, RSA → RS256, or PS256 under Profile Fapi2) or a PFX;
    /// with the next and previous keys of a rollover (<see cref="SigningKeyOptions"/>).
    /// </summary>
    public SigningKeyOptions SigningKey { get; set; } = new();

    /// <summary>
    /// How often token rows that can no longer be used (revoked, or expired) are deleted, in <see cref="TokenStorage.Database"/>
    /// mode. Without it the token table grows with every token ever issued.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "7.00:00:00")]
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Rows of tokens issued less than this long ago are kept even if unusable, for audit and incident work (a pruned
    /// token is simply unknown: introspection reports it inactive, as it would a revoked one).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan PruneRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>A file holding a base64 256-bit key. OpenIddict needs one for its internal tokens even though access tokens are signed JWTs, not encrypted.</summary>
    public string EncryptionKeyPath { get; set; } = string.Empty;
}

public class KeyFileOptions
{
    public string Path { get; set; } = string.Empty;

    public string? Password { get; set; }
}

/// <summary>Where the state of issued access tokens lives.</summary>
public enum TokenStorage
{
    /// <summary>
    /// Every token gets a database row: <c>/revoke</c> works, introspection reports a revoked token as inactive, and
    /// every instance on a shared database agrees. Costs one write per token.
    /// </summary>
    Database,

    /// <summary>
    /// Tokens are self-contained signed JWTs with no database row: the fastest issuance, but a token cannot be
    /// revoked — it stays valid until it expires (keep <see cref="TokenOptions.AccessTokenLifetime"/> short), and
    /// <c>/revoke</c> answers <c>unsupported_token_type</c> (RFC 7009 §2.2.1) instead of pretending.
    /// </summary>
    SelfContained,
}
