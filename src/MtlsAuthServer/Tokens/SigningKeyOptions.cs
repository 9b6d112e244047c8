namespace MtlsAuthServer.Tokens;

/// <summary>
/// Section <c>Tokens:SigningKey</c>: the key that signs (<c>Path</c>), the next key of a rollover and the keys it
/// replaced. Every instance derives the same signing key and the same JWKS from this and its clock, so a rollover
/// needs no coordination between instances beyond identical configuration (docs/adr/0006).
/// </summary>
public sealed class SigningKeyOptions : KeyFileOptions
{
    /// <summary>The next key: published in the JWKS from <see cref="NextSigningKeyOptions.SignsFrom"/> − <see cref="LeadTime"/>, signs from <c>SignsFrom</c>.</summary>
    public NextSigningKeyOptions? Next { get; set; }

    /// <summary>Keys that signed before <c>Path</c>: published (never used to sign) until their last token has expired.</summary>
    public List<RetiredSigningKeyOptions> Previous { get; set; } = [];

    /// <summary>
    /// How long before it signs the next key is in the JWKS: at least the time every instance needs to load the new
    /// configuration plus the longest a resource server caches the JWKS.
    /// </summary>
    public TimeSpan LeadTime { get; set; } = TimeSpan.FromDays(1);
}

public sealed class NextSigningKeyOptions : KeyFileOptions
{
    /// <summary>The instant (with offset, e.g. <c>2026-12-08T09:00:00Z</c>) from which this key signs instead of <c>Path</c>.</summary>
    public DateTimeOffset? SignsFrom { get; set; }
}

public sealed class RetiredSigningKeyOptions : KeyFileOptions
{
    /// <summary>The instant this key stopped signing (the <c>SignsFrom</c> of the key that replaced it).</summary>
    public DateTimeOffset? RetiredAt { get; set; }
}
