using Microsoft.Extensions.Options;

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

            errors.AddRange(ClientRegistrationRules.Problems(client, scopeNames, "Scopes").Select(problem => $"{key}: {problem}"));
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
