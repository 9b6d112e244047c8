using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using MtlsAuthServer.Profiles;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// Which configured signing key signs at a given instant and which keys the JWKS publishes then, from
/// <see cref="SigningKeyOptions"/> alone: the next key is published <see cref="SigningKeyOptions.LeadTime"/> before it
/// signs, and a key that stopped signing stays published until the last token it signed has expired (its retirement
/// + <see cref="TokenOptions.AccessTokenLifetime"/> + <see cref="PublicationMargin"/>). Instances with the same
/// configuration make the same decisions at the same instant, so none signs with a key another does not publish.
/// </summary>
public sealed class SigningKeySchedule
{
    /// <summary>Covers clock differences between instances and resource servers' clock-skew tolerance (JwtBearer: 5 min).</summary>
    public static readonly TimeSpan PublicationMargin = TimeSpan.FromMinutes(5);

    private readonly ScheduledSigningKey _current;
    private readonly ScheduledSigningKey? _next;

    private SigningKeySchedule(IReadOnlyList<ScheduledSigningKey> keys)
    {
        Keys = keys;
        _current = keys.Single(key => key.Role == SigningKeyRole.Current);
        _next = keys.SingleOrDefault(key => key.Role == SigningKeyRole.Next);
    }

    /// <summary>Every configured key, current first.</summary>
    public IReadOnlyList<ScheduledSigningKey> Keys { get; }

    /// <summary>Loads and checks every key named by <paramref name="options"/>; errors name the configuration key.</summary>
    public static SigningKeySchedule Load(SigningKeyOptions options, TimeSpan accessTokenLifetime, ServerProfile profile)
    {
        const string section = $"{TokenOptions.Section}:SigningKey";
        if (options.LeadTime < TimeSpan.Zero)
        {
            throw new InvalidDataException($"{section}:LeadTime: must not be negative.");
        }

        var published = accessTokenLifetime + PublicationMargin;
        var nextSignsFrom = options.Next is { } next && !string.IsNullOrWhiteSpace(next.Path)
            ? next.SignsFrom ?? throw new InvalidDataException($"{section}:Next:SignsFrom: required with {section}:Next:Path (the instant the next key starts signing).")
            : (DateTimeOffset?)null;

        var keys = new List<ScheduledSigningKey>
        {
            new(SigningKeyRole.Current, section, Credentials(options, section, profile),
                PublishedFrom: DateTimeOffset.MinValue, SignsFrom: DateTimeOffset.MinValue,
                SignsUntil: nextSignsFrom ?? DateTimeOffset.MaxValue, PublishedUntil: nextSignsFrom is { } until ? until + published : DateTimeOffset.MaxValue),
        };
        if (nextSignsFrom is { } signsFrom)
        {
            var nextSection = $"{section}:Next";
            keys.Add(new(SigningKeyRole.Next, nextSection, Credentials(options.Next!, nextSection, profile),
                PublishedFrom: signsFrom - options.LeadTime, SignsFrom: signsFrom, SignsUntil: DateTimeOffset.MaxValue, PublishedUntil: DateTimeOffset.MaxValue));
        }

        for (var i = 0; i < options.Previous.Count; i++)
        {
            var previousSection = $"{section}:Previous:{i}";
            var retiredAt = options.Previous[i].RetiredAt
                ?? throw new InvalidDataException($"{previousSection}:RetiredAt: required (the instant this key stopped signing).");
            keys.Add(new(SigningKeyRole.Previous, previousSection, Credentials(options.Previous[i], previousSection, profile),
                PublishedFrom: DateTimeOffset.MinValue, SignsFrom: DateTimeOffset.MaxValue, SignsUntil: DateTimeOffset.MaxValue, PublishedUntil: retiredAt + published));
        }

        var duplicate = keys.GroupBy(key => key.KeyId, StringComparer.Ordinal).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidDataException($"{string.Join(" and ", duplicate.Select(key => key.Section + ":Path"))}: the same key is configured twice (kid {duplicate.Key}).");
        }

        return new SigningKeySchedule(keys);
    }

    /// <summary>The key that signs tokens issued at <paramref name="now"/>.</summary>
    public ScheduledSigningKey SigningAt(DateTimeOffset now) => _next is { } next && now >= next.SignsFrom ? next : _current;

    /// <summary>Whether the JWKS lists the key <paramref name="keyId"/> at <paramref name="now"/>; unknown keys are not ours to hide.</summary>
    public bool IsPublishedAt(string? keyId, DateTimeOffset now) =>
        Keys.FirstOrDefault(key => string.Equals(key.KeyId, keyId, StringComparison.Ordinal)) is not { } key || key.IsPublishedAt(now);

    /// <summary>
    /// The algorithm a key signs with. Standard: ES256/384/512 by curve, RS256 for RSA (what OpenIddict picks itself).
    /// Fapi2 (FAPI 2.0 SP §5.4.1): ES256 on P-256, or PS256 with RSA ≥ 2048 bits; anything else refuses the start.
    /// </summary>
    private static SigningCredentials Credentials(KeyFileOptions options, string section, ServerProfile profile)
    {
        var key = TokenKeys.LoadSigningKey(options, section);
        var fapi2 = profile == ServerProfile.Fapi2;
        var publicKey = key switch
        {
            ECDsaSecurityKey ec => (AsymmetricAlgorithm?)ec.ECDsa,
            RsaSecurityKey r => r.Rsa,
            X509SecurityKey x509 => x509.PublicKey,
            _ => null,
        };
        string algorithm;
        if (publicKey is ECDsa ecdsa)
        {
            algorithm = ecdsa.KeySize switch
            {
                256 => SecurityAlgorithms.EcdsaSha256,
                384 when !fapi2 => SecurityAlgorithms.EcdsaSha384,
                521 when !fapi2 => SecurityAlgorithms.EcdsaSha512,
                _ => throw new InvalidDataException(fapi2
                    ? $"{section}:Path: an EC key on a {ecdsa.KeySize}-bit curve; Profile Fapi2 allows ES256 (EC P-256) or PS256 (RSA ≥ {Fapi2Profile.MinimumRsaKeyBits} bits) only."
                    : $"{section}:Path: an EC key on a {ecdsa.KeySize}-bit curve; use P-256, P-384 or P-521."),
            };
        }
        else if (publicKey is RSA rsa)
        {
            if (fapi2 && rsa.KeySize < Fapi2Profile.MinimumRsaKeyBits)
            {
                throw new InvalidDataException($"{section}:Path: a {rsa.KeySize}-bit RSA key; Profile Fapi2 requires at least {Fapi2Profile.MinimumRsaKeyBits} bits.");
            }

            // FAPI 2.0 SP §5.4.1 allows PS256, not RS256 (PKCS#1 v1.5): the same RSA key signs with PSS in the profile.
            algorithm = fapi2 ? SecurityAlgorithms.RsaSsaPssSha256 : SecurityAlgorithms.RsaSha256;
        }
        else
        {
            throw new InvalidDataException($"{section}:Path: neither an EC nor an RSA key.");
        }

        return new SigningCredentials(key, algorithm);
    }
}

public enum SigningKeyRole
{
    Current,
    Next,
    Previous,
}

/// <summary>One configured signing key and its windows (inclusive start, exclusive end).</summary>
public sealed record ScheduledSigningKey(
    SigningKeyRole Role, string Section, SigningCredentials Credentials,
    DateTimeOffset PublishedFrom, DateTimeOffset SignsFrom, DateTimeOffset SignsUntil, DateTimeOffset PublishedUntil)
{
    public string KeyId => Credentials.Key.KeyId;

    public string Algorithm => Credentials.Algorithm;

    public bool IsPublishedAt(DateTimeOffset now) => now >= PublishedFrom && now < PublishedUntil;
}
