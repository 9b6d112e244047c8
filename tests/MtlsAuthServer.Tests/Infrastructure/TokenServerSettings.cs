namespace MtlsAuthServer.Tests.Infrastructure;

/// <summary>Configuration for one test token server, in the same keys an operator would set.</summary>
public sealed class TokenServerSettings
{
    private int _clients;

    public Dictionary<string, string?> Values { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>JSON configuration files added after the settings above, reloaded when they change (like appsettings.json).</summary>
    public List<string> JsonFiles { get; } = [];

    /// <summary>When set, the host's <see cref="System.TimeProvider"/> (e.g. a FakeTimeProvider), instead of the system clock.</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>
    /// Runs on the test's thread between building the host and starting it, while the application's own thread
    /// (WebApplicationFactory runs Program on one) goes on: lets a spec hold the start back to make a race certain.
    /// </summary>
    public Action<Microsoft.Extensions.Hosting.IHost>? BeforeStart { get; set; }

    public string? this[string key]
    {
        get => Values.TryGetValue(key, out var value) ? value : null;
        set => Values[key] = value;
    }

    public TokenServerSettings AddScope(string name, params string[] resources)
    {
        var index = Values.Keys.Count(k => k.StartsWith("Scopes:", StringComparison.Ordinal) && k.EndsWith(":Name", StringComparison.Ordinal));
        Values[$"Scopes:{index}:Name"] = name;
        for (var i = 0; i < resources.Length; i++)
        {
            Values[$"Scopes:{index}:Resources:{i}"] = resources[i];
        }

        return this;
    }

    /// <summary>A <c>tls_client_auth</c> client identified by one RFC 8705 metadata entry, e.g. <c>tls_client_auth_san_dns</c>.</summary>
    public TokenServerSettings AddTlsClient(string clientId, string metadataName, string value, string? scope = "api:read")
    {
        var prefix = $"Clients:{_clients++}:";
        Values[prefix + "client_id"] = clientId;
        Values[prefix + "token_endpoint_auth_method"] = "tls_client_auth";
        Values[prefix + metadataName] = value;
        Values[prefix + "scope"] = scope;
        return this;
    }

    public TokenServerSettings AddSelfSignedClient(string clientId, params string[] certificatePaths)
    {
        var prefix = $"Clients:{_clients++}:";
        Values[prefix + "client_id"] = clientId;
        Values[prefix + "token_endpoint_auth_method"] = "self_signed_tls_client_auth";
        Values[prefix + "scope"] = "api:read";
        for (var i = 0; i < certificatePaths.Length; i++)
        {
            Values[$"{prefix}certificates:{i}"] = certificatePaths[i];
        }

        return this;
    }
}
