using Microsoft.Extensions.Options;
using MtlsAuthServer.Certificates;

namespace MtlsAuthServer.Clients;

/// <summary>Refuses to start with a client registration that could never authenticate or could match the wrong client.</summary>
public sealed class ClientRegistryValidator : IValidateOptions<ClientRegistryOptions>
{
    public ValidateOptionsResult Validate(string? name, ClientRegistryOptions options)
    {
        var errors = new List<string>();
        var scopeNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Scopes.Count; i++)
        {
            var scope = options.Scopes[i].Name;
            if (string.IsNullOrWhiteSpace(scope) || scope.Contains(' ', StringComparison.Ordinal) || !scopeNames.Add(scope))
            {
                errors.Add($"Scopes:{i}:Name '{scope}' is empty, contains a space or is listed twice.");
            }
        }

        var clientIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Clients.Count; i++)
        {
            var client = options.Clients[i];
            var key = $"Clients:{i}";
            if (string.IsNullOrWhiteSpace(client.ClientId) || !clientIds.Add(client.ClientId))
            {
                errors.Add($"{key}:client_id '{client.ClientId}' is empty or registered twice.");
            }
            else if (client.ClientId.Length > Hosting.OAuthParameterLimits.ClientId)
            {
                // Longer ones are refused at the endpoints before any lookup: such a client could never authenticate.
                errors.Add($"{key}:client_id is longer than {Hosting.OAuthParameterLimits.ClientId} characters.");
            }

            foreach (var scope in client.Scopes.Where(scope => !scopeNames.Contains(scope)))
            {
                errors.Add($"{key}:scope '{scope}' is not defined under Scopes.");
            }

            var identities = client.Identities();
            switch (client.TokenEndpointAuthMethod)
            {
                case ClientRegistration.TlsClientAuth:
                    if (identities.Count != 1)
                    {
                        errors.Add($"{key}: tls_client_auth needs exactly one of {string.Join(", ", ClientIdentity.MetadataNames.Keys)} (found {identities.Count}).");
                    }
                    else if (!identities[0].IsWellFormed(out var error))
                    {
                        errors.Add($"{key}:{identities[0].MetadataName} '{identities[0].Value}': {error}.");
                    }

                    break;
                case ClientRegistration.SelfSignedTlsClientAuth:
                    ValidateSelfSigned(client, key, identities, errors);
                    break;
                default:
                    errors.Add($"{key}:token_endpoint_auth_method '{client.TokenEndpointAuthMethod}' must be tls_client_auth or self_signed_tls_client_auth.");
                    break;
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateSelfSigned(ClientRegistration client, string key, IReadOnlyList<ClientIdentity> identities, List<string> errors)
    {
        if (identities.Count > 0)
        {
            errors.Add($"{key}: self_signed_tls_client_auth clients are identified by their certificates, not by tls_client_auth_* metadata.");
        }

        if (!client.TryLoadSelfSignedCertificates(out var certificates, out var error))
        {
            errors.Add($"{key}: a registered certificate could not be read: {error}");
            return;
        }

        if (certificates.Count == 0)
        {
            errors.Add($"{key}: self_signed_tls_client_auth needs at least one certificate (certificates or jwks x5c).");
        }

        foreach (var certificate in certificates)
        {
            if (!TrustMaterial.IsSelfIssued(certificate))
            {
                errors.Add($"{key}: registered certificate '{certificate.Subject}' is not self-signed.");
            }

            certificate.Dispose();
        }
    }
}
