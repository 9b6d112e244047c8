namespace MtlsAuthServer.Profiles;

/// <summary>The security profile the server runs under (configuration key <c>Profile</c>).</summary>
public enum ServerProfile
{
    /// <summary>RFC 8705 mTLS client authentication and bound tokens, BCP 195 TLS, ES256 or RS256 signing keys.</summary>
    Standard,

    /// <summary>
    /// FAPI 2.0 Security Profile, client credentials grant, mTLS client authentication and mTLS sender constraint:
    /// everything of <see cref="Standard"/>, plus the TLS 1.2 suites of FAPI 2.0 §5.2.2 refused in the handshake,
    /// TLS 1.3 mandatory, ES256 or PS256 only, and access tokens of at most <see cref="Fapi2Profile.MaxAccessTokenLifetime"/>.
    /// </summary>
    Fapi2,
}

/// <summary>Root configuration key <c>Profile</c>.</summary>
public sealed class ServerProfileOptions
{
    public const string Key = "Profile";

    public ServerProfile Profile { get; set; } = ServerProfile.Standard;

    public bool IsFapi2 => Profile == ServerProfile.Fapi2;
}
