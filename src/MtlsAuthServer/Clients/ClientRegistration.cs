namespace MtlsAuthServer.Clients;

/// <summary>One client, in RFC 7591 / RFC 8705 client-metadata names (configuration <c>Clients:N</c>).</summary>
public sealed class ClientRegistration
{
    public const string TlsClientAuth = "tls_client_auth";
    public const string SelfSignedTlsClientAuth = "self_signed_tls_client_auth";

    [ConfigurationKeyName("client_id")]
    public string ClientId { get; set; } = string.Empty;

    [ConfigurationKeyName("client_name")]
    public string? ClientName { get; set; }

    [ConfigurationKeyName("token_endpoint_auth_method")]
    public string TokenEndpointAuthMethod { get; set; } = TlsClientAuth;

    /// <summary>Space-separated scopes the client may request.</summary>
    [ConfigurationKeyName("scope")]
    public string? Scope { get; set; }

    [ConfigurationKeyName("tls_client_auth_subject_dn")]
    public string? SubjectDn { get; set; }

    [ConfigurationKeyName("tls_client_auth_san_dns")]
    public string? SanDns { get; set; }

    [ConfigurationKeyName("tls_client_auth_san_uri")]
    public string? SanUri { get; set; }

    [ConfigurationKeyName("tls_client_auth_san_ip")]
    public string? SanIp { get; set; }

    [ConfigurationKeyName("tls_client_auth_san_email")]
    public string? SanEmail { get; set; }

    /// <summary>For <c>self_signed_tls_client_auth</c>: PEM files of the accepted certificates (several during a rotation).</summary>
    [ConfigurationKeyName("certificates")]
    public List<string> CertificatePaths { get; set; } = [];

    /// <summary>For <c>self_signed_tls_client_auth</c>: RFC 7591 <c>jwks</c> whose keys carry <c>x5c</c>.</summary>
    [ConfigurationKeyName("jwks")]
    public JwksRegistration? Jwks { get; set; }

    /// <summary>RFC 7591 <c>contacts</c>: people responsible for the client (kept for operators; never used to authenticate).</summary>
    [ConfigurationKeyName("contacts")]
    public List<string> Contacts { get; set; } = [];

    public IReadOnlyList<string> Scopes =>
        (Scope ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

public sealed class JwksRegistration
{
    [ConfigurationKeyName("keys")]
    public List<JwkRegistration> Keys { get; set; } = [];
}

public sealed class JwkRegistration
{
    [ConfigurationKeyName("x5c")]
    public List<string> X5c { get; set; } = [];
}
