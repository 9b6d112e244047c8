using System.Security.Authentication;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Hosting;
using MtlsAuthServer.Tokens;

namespace MtlsAuthServer.Profiles;

/// <summary>
/// Under <see cref="ServerProfile.Fapi2"/>, refuses configuration that would run the server below the profile; each
/// error names the key to change. The signing keys' algorithms are checked where they are loaded
/// (<see cref="SigningKeySchedule"/>), the TLS 1.2 suites are fixed by the profile (<see cref="Pki.TlsPolicy"/>).
/// </summary>
public sealed class Fapi2ProfileValidator(IOptions<TokenOptions> tokens, IOptions<ListenerOptions> listeners) : IValidateOptions<ServerProfileOptions>
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

        // RFC 9325 §3.1.1 and FAPI 2.0 SP §5.2.1: TLS 1.3 must be offered (and is preferred); TLS 1.2 is optional.
        if (!listeners.Value.TlsProtocols.Contains(SslProtocols.Tls13))
        {
            errors.Add($"{ListenerOptions.Section}:TlsProtocols: Profile Fapi2 requires Tls13 (TLS 1.3 preferred, TLS 1.2 optional).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
