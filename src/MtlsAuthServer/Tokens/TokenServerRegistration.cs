using MtlsAuthServer.Certificates;
using MtlsAuthServer.Data;
using MtlsAuthServer.Hosting;
using MtlsAuthServer.ServiceDefaults.Hosting;
using OpenIddict.EntityFrameworkCore.Models;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MtlsAuthServer.Tokens;

public static class TokenServerRegistration
{
    /// <summary>OpenIddict server: client_credentials only, mTLS client authentication only, certificate-bound JWT access tokens.</summary>
    public static WebApplicationBuilder AddTokenServer(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var tokens = configuration.GetSection(TokenOptions.Section).Get<TokenOptions>() ?? new TokenOptions();
        var listeners = configuration.GetSection(ListenerOptions.Section).Get<ListenerOptions>() ?? new ListenerOptions();
        var trust = TrustAnchorOptions.Read(builder).Load();
        var issuer = new Uri(EnsureTrailingSlash(tokens.Issuer ?? listeners.Public), UriKind.Absolute);
        var mtlsBase = new Uri(EnsureTrailingSlash(listeners.MtlsPublicBaseUrl ?? listeners.Mtls), UriKind.Absolute);
        var signingKeys = SigningKeySchedule.Load(tokens.SigningKey, tokens.AccessTokenLifetime, Profiles.ServerProfileRegistration.Read(configuration));

        builder.Services.AddOptions<TokenOptions>().BindConfiguration(TokenOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<ClientAuthenticationContext>();
        builder.Services.AddSingleton<ScopeResourceCatalog>();
        builder.Services.AddSingleton<Clients.RegisteredClientSnapshots>();

        builder.Services.AddOpenIddict()
            .AddCore(core =>
            {
                core.UseEntityFrameworkCore().UseDbContext<AuthServerDbContext>();
                core.ReplaceApplicationManager<OpenIddictEntityFrameworkCoreApplication, Rfc8705ApplicationManager>();
                core.ReplaceApplicationStore<OpenIddictEntityFrameworkCoreApplication, Clients.SnapshotApplicationStore>();
                // OpenIddict's entity caches live for one request; registrations and scopes already come from our
                // snapshots, so the caches only added work (about 5-10 % of a stored token's cost in A/B runs).
                core.DisableEntityCaching();
                if (tokens.Storage == TokenStorage.Database)
                {
                    core.ReplaceTokenStore<OpenIddictEntityFrameworkCoreToken, GroupCommitTokenStore>();
                }
            })
            .AddServer(server =>
            {
                server.SetIssuer(issuer)
                    .SetTokenEndpointUris("token")
                    .SetIntrospectionEndpointUris("introspect")
                    .SetRevocationEndpointUris("revoke")
                    .SetMtlsTokenEndpointAliasUri(new Uri(mtlsBase, "token"))
                    .SetMtlsIntrospectionEndpointAliasUri(new Uri(mtlsBase, "introspect"))
                    .SetMtlsRevocationEndpointAliasUri(new Uri(mtlsBase, "revoke"))
                    .AllowClientCredentialsFlow()
                    .SetAccessTokenLifetime(tokens.AccessTokenLifetime)
                    .DisableAccessTokenEncryption()
                    .UseSigningKeySchedule(signingKeys, tokens.SigningKey.LeadTime)
                    .AddEncryptionKey(TokenKeys.LoadEncryptionKey(tokens.EncryptionKeyPath))
                    // OpenIddict builds the policies; ClientChainPolicyFactory is the one place their rules come from.
                    .EnablePublicKeyInfrastructureTlsClientAuthentication(trust.Anchors, ClientChainPolicyFactory.ConfigureStatic(trust))
                    .EnableSelfSignedTlsClientAuthentication(ClientChainPolicyFactory.ConfigureSelfSigned)
                    .UseClientCertificateBoundAccessTokens()
                    .AddEventHandler(AdvertiseConfiguredEndpoints.DescriptorFor(issuer, mtlsBase))
                    .AddEventHandler(DescribeOnlyServedMetadata.Descriptor)
                    .AddEventHandler(IssueAccessTokenIdentifier.Descriptor)
                    // Registered scopes come from the scope snapshot, not from one store query per token request.
                    .RemoveEventHandler(OpenIddictServerHandlers.Exchange.ValidateScopes.Descriptor)
                    .AddEventHandler(ValidateRegisteredScopes.Descriptor)
                    .AddEventHandler(IssueClientCredentialsToken.Descriptor)
                    .AddEventHandler(CompleteIntrospectionAnswer.Descriptor)
                    .AddEventHandler(RefuseTokensOfDisabledClients.Descriptor)
                    .AddEventHandler(RecordProtocolRejection.DescriptorFor<ApplyTokenResponseContext>())
                    .AddEventHandler(RecordProtocolRejection.DescriptorFor<ApplyIntrospectionResponseContext>())
                    .AddEventHandler(RecordProtocolRejection.DescriptorFor<ApplyRevocationResponseContext>());

                foreach (var descriptor in RequireCertificateClientAuthentication.Descriptors)
                {
                    server.AddEventHandler(descriptor);
                }

                if (tokens.Storage == TokenStorage.Database)
                {
                    server.AddEventHandler(StoreAccessTokenRow.Descriptor);
                }

                if (tokens.Storage == TokenStorage.SelfContained)
                {
                    server.DisableTokenStorage().AddEventHandler(RefuseRevocationOfSelfContainedTokens.Descriptor);
                }

                server.UseAspNetCore();
            });

        // RFC 8705 only: no shared secrets, no client assertions. A post-configure step, because the ASP.NET Core
        // integration adds client_secret_basic in its own configure step, after ours.
        builder.Services.PostConfigure<OpenIddictServerOptions>(options =>
        {
            options.ClientAuthenticationMethods.Clear();
            options.ClientAuthenticationMethods.Add(ClientAuthenticationMethods.TlsClientAuth);
            options.ClientAuthenticationMethods.Add(ClientAuthenticationMethods.SelfSignedTlsClientAuth);
            options.ClientAssertionTypes.Clear();
        });
        if (tokens.Storage == TokenStorage.Database)
        {
            builder.Services.AddHostedService<ExpiredTokenPruner>();
            builder.Services.AddSingleton<TokenRowWriter>();
            builder.Services.AddHostedService(services => services.GetRequiredService<TokenRowWriter>());
        }

        builder.Services.AddSingleton(new TrustMaterialProvider(trust));
        return builder;
    }

    private static string EnsureTrailingSlash(string url) => url.EndsWith('/') ? url : url + "/";
}
