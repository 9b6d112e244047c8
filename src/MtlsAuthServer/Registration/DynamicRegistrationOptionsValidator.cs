using System.Buffers.Text;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Registration;

/// <summary>Refuses to start with a registration policy that lets nobody, or anybody, register.</summary>
public sealed class DynamicRegistrationOptionsValidator : IValidateOptions<DynamicRegistrationOptions>
{
    public ValidateOptionsResult Validate(string? name, DynamicRegistrationOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var section = DynamicRegistrationOptions.Section;
        var errors = new List<string>();
        if (options.InitialAccessTokenHashes.Count == 0 && string.IsNullOrWhiteSpace(options.CaPath))
        {
            errors.Add($"{section}:Enabled is true but neither {section}:InitialAccessTokenHashes nor {section}:CaPath is set: nobody could register.");
        }

        if (options.RequireBoth && (options.InitialAccessTokenHashes.Count == 0 || string.IsNullOrWhiteSpace(options.CaPath)))
        {
            errors.Add($"{section}:RequireBoth needs both {section}:InitialAccessTokenHashes and {section}:CaPath.");
        }

        for (var i = 0; i < options.InitialAccessTokenHashes.Count; i++)
        {
            var hash = options.InitialAccessTokenHashes[i];
            if (hash.Length != 43 || !Base64Url.IsValid(hash, out var length) || length != 32)
            {
                errors.Add($"{section}:InitialAccessTokenHashes:{i} is not a base64url SHA-256 (43 characters, no padding).");
            }
        }

        if (!string.IsNullOrWhiteSpace(options.CaPath))
        {
            try
            {
                TrustBundle.Load(options.CaPath, "Registration:CaPath");
            }
            catch (Exception exception) when (exception is InvalidDataException or IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                errors.Add($"{section}:CaPath '{options.CaPath}': {exception.Message}");
            }
        }

        foreach (var scope in options.Scopes.Where(scope => string.IsNullOrWhiteSpace(scope) || scope.Contains(' ', StringComparison.Ordinal)))
        {
            errors.Add($"{section}:Scopes '{scope}' is empty or contains a space.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
