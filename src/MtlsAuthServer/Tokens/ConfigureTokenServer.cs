using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using MtlsAuthServer.Certificates;
using OpenIddict.Server;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// The OpenIddict server settings that come from configuration, applied from the validated options (so a bad value
/// has already refused the start, naming its key, before OpenIddict sees it): issuer, mTLS endpoint aliases
/// (RFC 8705 §5), access-token lifetime and storage, the encryption key and the PKI chain policy for
/// <c>tls_client_auth</c>. What does not depend on configuration stays with the builder in
/// <see cref="TokenServerRegistration"/>; the signing keys are added by <see cref="RegisterScheduledSigningKeys"/>.
/// </summary>
public sealed class ConfigureTokenServer(IOptions<TokenOptions> tokens, ServerUrls urls, ClientChainPolicyFactory chainPolicies)
    : IConfigureOptions<OpenIddictServerOptions>
{
    public void Configure(OpenIddictServerOptions options)
    {
        var settings = tokens.Value;
        options.Issuer = urls.Issuer;
        options.MtlsTokenEndpointAliasUri = new Uri(urls.MtlsBase, EndpointPaths.Token);
        options.MtlsIntrospectionEndpointAliasUri = new Uri(urls.MtlsBase, EndpointPaths.Introspection);
        options.MtlsRevocationEndpointAliasUri = new Uri(urls.MtlsBase, EndpointPaths.Revocation);
        options.AccessTokenLifetime = settings.AccessTokenLifetime;
        options.DisableTokenStorage = settings.Storage == TokenStorage.SelfContained;
        // What OpenIddict's AddEncryptionKey registers for a 256-bit symmetric key (TokenKeys checks the size).
        options.EncryptionCredentials.Add(new EncryptingCredentials(TokenKeys.LoadEncryptionKey(settings.EncryptionKeyPath),
            SecurityAlgorithms.Aes256KW, SecurityAlgorithms.Aes256CbcHmacSha512));
        // OpenIddict merges this base policy with each client's; ClientChainPolicyFactory is the one place its rules come from.
        options.PublicKeyInfrastructureTlsClientAuthenticationPolicy = chainPolicies.Create();
    }
}

/// <summary>The OAuth endpoints' paths, relative to the issuer and to the mTLS base; OpenIddict's options are the list every guard reads.</summary>
public static class EndpointPaths
{
    public const string Token = "token";
    public const string Introspection = "introspect";
    public const string Revocation = "revoke";
}
