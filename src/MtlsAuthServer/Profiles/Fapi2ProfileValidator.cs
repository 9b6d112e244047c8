using Microsoft.Extensions.Options;
using MtlsAuthServer.Tokens;

namespace MtlsAuthServer.Profiles;

/// <summary>
/// Under <see cref="ServerProfile.Fapi2"/>, refuses configuration that would run the server below the profile; each
/// error names the key to change. The signing keys' algorithms are checked where they are loaded
/// (<see cref="SigningKeySchedule"/>), the TLS 1.2 suites are fixed by the profile (<see cref="Pki.TlsPolicy"/>). TLS 1.3
/// needs no check: <c>Listeners:TlsProtocols</c> starts as Tls12 + Tls13 and configuration can only add to a list.
/// </summary>
public sealed class Fapi2ProfileValidator(IOptions<TokenOptions> tokens) : IValidateOptions<ServerProfileOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerProfileOptions options)
    {
        if (!options.IsFapi2)
        {
            return ValidateOptionsResult.Success;
        }

        var errors = new List<string>();
        if (tokens.Value.AccessTokenLifetime > Fapi2Profile.MaxAccessTokenLifetime)
        {
            errors.Add($"{TokenOptions.Section}:AccessTokenLifetime: {tokens.Value.AccessTokenLifetime} is longer than Profile Fapi2 allows ({Fapi2Profile.MaxAccessTokenLifetime}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
