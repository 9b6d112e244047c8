using Microsoft.Extensions.Options;
using MtlsAuthServer.Tokens;

namespace MtlsAuthServer.Profiles;

/// <summary>
/// Under <see cref="ServerProfile.Fapi2"/>, refuses token settings that would run the server below the profile; each
/// error names the key to change. The signing keys' algorithms are checked where they are loaded
/// (<see cref="SigningKeySchedule"/>), the TLS 1.2 suites are fixed by the profile (<see cref="Pki.TlsPolicy"/>). TLS 1.3
/// needs no check: <c>Listeners:TlsProtocols</c> starts as Tls12 + Tls13 and configuration can only add to a list.
/// </summary>
public sealed class Fapi2ProfileValidator(IOptions<ServerProfileOptions> profile) : IValidateOptions<TokenOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenOptions options)
    {
        bool fapi2;
        try
        {
            fapi2 = profile.Value.IsFapi2;
        }
        catch (OptionsValidationException)
        {
            return ValidateOptionsResult.Skip; // An unknown profile is reported by its own validation.
        }

        return fapi2 && options.AccessTokenLifetime > Fapi2Profile.MaxAccessTokenLifetime
            ? ValidateOptionsResult.Fail($"{TokenOptions.Section}:AccessTokenLifetime: {options.AccessTokenLifetime} is longer than Profile Fapi2 allows ({Fapi2Profile.MaxAccessTokenLifetime}).")
            : ValidateOptionsResult.Success;
    }
}
