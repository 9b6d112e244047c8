namespace MtlsAuthServer.Profiles;

/// <summary>The limits <see cref="ServerProfile.Fapi2"/> puts on configuration.</summary>
public static class Fapi2Profile
{
    /// <summary>
    /// FAPI 2.0 leaves the number to the deployment but requires sender-constrained, short-lived access tokens; ten
    /// minutes is our default lifetime, so the profile only refuses what is longer.
    /// </summary>
    public static readonly TimeSpan MaxAccessTokenLifetime = TimeSpan.FromMinutes(10);

    /// <summary>FAPI 2.0 SP §5.4.1: RSA keys of at least 2048 bits.</summary>
    public const int MinimumRsaKeyBits = 2048;
}
