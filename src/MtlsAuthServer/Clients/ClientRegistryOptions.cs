namespace MtlsAuthServer.Clients;

/// <summary>The configured clients and scopes (root keys <c>Clients</c> and <c>Scopes</c>), upserted at start-up.</summary>
public sealed class ClientRegistryOptions
{
    public List<ClientRegistration> Clients { get; set; } = [];

    public List<ScopeRegistration> Scopes { get; set; } = [];
}

/// <summary>A scope and the resource servers (token audiences) it grants access to.</summary>
public sealed class ScopeRegistration
{
    public string Name { get; set; } = string.Empty;

    public List<string> Resources { get; set; } = [];
}
