using System.CommandLine;

namespace MtlsAuthServer.PkiTool;

/// <summary>The options that shape a printed client registration: client_id, scope and (for tls_client_auth) the identity used.</summary>
internal sealed class RegistrationOptions
{
    private readonly Option<string?> _clientId = new("--client-id")
    {
        Description = "client_id of the printed registration (default: the certificate's --name).",
        HelpName = "id",
    };

    private readonly Option<string?> _scope = new("--scope")
    {
        Description = "Space-separated scopes of the printed registration, e.g. \"api:read api:write\" (they must exist under Scopes).",
        HelpName = "scopes",
    };

    private readonly Option<string?>? _identity;

    public RegistrationOptions(bool chooseIdentity)
    {
        if (chooseIdentity)
        {
            _identity = new Option<string?>("--identity")
            {
                Description = "The RFC 8705 metadata the registration matches: " + string.Join(", ", RegistrationSnippet.IdentityKinds)
                    + " (default: subject_dn when --subject is given, else the first SAN).",
                HelpName = "kind",
            };
            _identity.AcceptOnlyFromAmong([.. RegistrationSnippet.IdentityKinds]);
        }
    }

    public void AddTo(Command command)
    {
        command.Options.Add(_clientId);
        command.Options.Add(_scope);
        if (_identity is not null)
        {
            command.Options.Add(_identity);
        }
    }

    public string ClientId(ParseResult parse, string name) => parse.GetValue(_clientId) is { Length: > 0 } id ? id : name;

    public string? Scope(ParseResult parse) => parse.GetValue(_scope) is { Length: > 0 } scope ? scope.Trim() : null;

    public string? Identity(ParseResult parse) => _identity is null ? null : parse.GetValue(_identity);
}
