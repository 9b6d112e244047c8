using Microsoft.Extensions.Options;
using MtlsAuthServer.Hosting;
using MtlsAuthServer.Profiles;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// What the <c>Tokens</c> section names must be usable before OpenIddict is configured with it: the issuer and
/// mTLS base URLs, every signing key of the schedule (under the configured profile) and the encryption key. Each
/// failure names the key to change; the keys are loaded again, once, for the server itself.
/// </summary>
public sealed class TokenOptionsValidator(IOptions<ListenerOptions> listeners, IOptions<ServerProfileOptions> profile) : IValidateOptions<TokenOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenOptions options)
    {
        var errors = new List<string>();
        // A section that fails its own validation is reported there; the checks that need it are skipped here.
        if (ValueOf(listeners) is { } listenerSettings)
        {
            CheckUrl(ServerUrls.IssuerUrl(options, listenerSettings), options.Issuer is null ? $"{ListenerOptions.Section}:Public" : $"{TokenOptions.Section}:Issuer", errors);
            CheckUrl(ServerUrls.MtlsBaseUrl(listenerSettings),
                listenerSettings.MtlsPublicBaseUrl is null ? $"{ListenerOptions.Section}:Mtls" : $"{ListenerOptions.Section}:MtlsPublicBaseUrl", errors);
        }

        if (ValueOf(profile) is { } serverProfile)
        {
            Check(() => SigningKeySchedule.Load(options.SigningKey, options.AccessTokenLifetime, serverProfile.Profile), errors);
        }

        Check(() => TokenKeys.LoadEncryptionKey(options.EncryptionKeyPath), errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckUrl(string url, string key, List<string> errors)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            errors.Add($"{key}: '{url}' must be an absolute URL.");
        }
    }

    private static void Check(Func<object> load, List<string> errors)
    {
        try
        {
            load();
        }
        catch (InvalidDataException exception)
        {
            errors.Add(exception.Message);
        }
    }

    private static T? ValueOf<T>(IOptions<T> options)
        where T : class
    {
        try
        {
            return options.Value;
        }
        catch (OptionsValidationException)
        {
            return null;
        }
    }
}
