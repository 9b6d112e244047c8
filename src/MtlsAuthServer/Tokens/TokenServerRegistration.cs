using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Data;
using MtlsAuthServer.Hosting;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MtlsAuthServer.Tokens;

public static class TokenServerRegistration
{
    /// <summary>
    /// OpenIddict server: client_credentials only, mTLS client authentication only, certificate-bound JWT access tokens.
    /// Nothing is read from configuration here: the builder gets what is the same for every deployment, and
    /// <see cref="ConfigureTokenServer"/> the rest from the validated <c>Tokens</c> and <c>Listeners</c> sections.
    /// </summary>
    public static WebApplicationBuilder AddTokenServer(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSection<TokenOptions>(TokenOptions.Section);
        services.AddSingleton<IValidateOptions<TokenOptions>, TokenOptionsValidator>();
        services.AddSingleton<ServerUrls>();
        services.AddSingleton<OAuthEndpointPaths>();
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, ConfigureTokenServer>();
        services.AddScoped<ClientAuthenticationContext>();
        services.AddSingleton<ScopeResourceCatalog>();
        services.AddSingleton<Clients.RegisteredClientSnapshots>();

        services.AddOpenIddict()
            .AddCore(core =>
            {
                core.UseEntityFrameworkCore().UseDbContext<AuthServerDbContext>();
                core.ReplaceApplicationManager<OpenIddictEntityFrameworkCoreApplication, Rfc8705ApplicationManager>();
                core.ReplaceApplicationStore<OpenIddictEntityFrameworkCoreApplication, Clients.SnapshotApplicationStore>();
                // OpenIddict's entity caches live for one request; registrations and scopes already come from our
                // snapshots, so the caches only added work (about 5-10 % of a stored token's cost in A/B runs).
                core.DisableEntityCaching();
                // Disabled, they were still built per request (a MemoryCache each): one stateless singleton instead.
                foreach (var cache in new[] { typeof(IOpenIddictApplicationCache<>), typeof(IOpenIddictAuthorizationCache<>), typeof(IOpenIddictScopeCache<>), typeof(IOpenIddictTokenCache<>) })
                {
                    core.Services.Replace(ServiceDescriptor.Singleton(cache, typeof(DisabledEntityCache<>)));
                }

                // Only Tokens:Storage=Database writes token rows (SelfContained disables OpenIddict's token storage).
                core.ReplaceTokenStore<OpenIddictEntityFrameworkCoreToken, GroupCommitTokenStore>();
            })
            .AddServer(server =>
            {
                server.SetTokenEndpointUris(EndpointPaths.Token)
                    .SetIntrospectionEndpointUris(EndpointPaths.Introspection)
                    .SetRevocationEndpointUris(EndpointPaths.Revocation)
                    .AllowClientCredentialsFlow()
                    .DisableAccessTokenEncryption()
                    .UseSigningKeySchedule()
                    .EnableSelfSignedTlsClientAuthentication(Certificates.ClientChainPolicyFactory.ConfigureSelfSigned)
                    .UseClientCertificateBoundAccessTokens()
                    // The endpoint a path is comes from the guards' path table, not from absolute URIs built per request.
                    .RemoveEventHandler(OpenIddictServerHandlers.InferEndpointType.Descriptor)
                    .AddEventHandler(InferEndpointTypeFromPaths.Descriptor)
                    .AddEventHandler(AdvertiseConfiguredEndpoints.Descriptor)
                    .AddEventHandler(DescribeOnlyServedMetadata.Descriptor)
                    .AddEventHandler(IssueAccessTokenIdentifier.Descriptor)
                    // Registered scopes come from the scope snapshot, not from one store query per token request.
                    .RemoveEventHandler(OpenIddictServerHandlers.Exchange.ValidateScopes.Descriptor)
                    .AddEventHandler(ValidateRegisteredScopes.Descriptor)
                    .AddEventHandler(IssueClientCredentialsToken.Descriptor)
                    .AddEventHandler(CompleteIntrospectionAnswer.Descriptor)
                    .AddEventHandler(RefuseRevocationOfSelfContainedTokens.Descriptor)
                    .AddEventHandler(RefuseTokensOfDisabledClients.Descriptor)
                    .AddEventHandler(RecordProtocolRejection.DescriptorFor<ApplyTokenResponseContext>())
                    .AddEventHandler(RecordProtocolRejection.DescriptorFor<ApplyIntrospectionResponseContext>())
                    .AddEventHandler(RecordProtocolRejection.DescriptorFor<ApplyRevocationResponseContext>());

                foreach (var descriptor in RequireCertificateClientAuthentication.Descriptors)
                {
                    server.AddEventHandler(descriptor);
                }

                // Acts only when OpenIddict creates a token entry, i.e. not under SelfContained (token storage disabled).
                server.AddEventHandler(StoreAccessTokenRow.Descriptor);

                // Machines read these answers: indentation only adds bytes and a slower writer path per token.
                server.UseAspNetCore().SuppressJsonResponseIndentation();
            });

        // After OpenIddict's own post-configure step (registered by AddServer), which sorts the handlers.
        services.AddSingleton<IPostConfigureOptions<OpenIddictServerOptions>, RemoveHandlersOfDisallowedFlows>();

        // Same handlers, same order; each event's handlers are looked up instead of found by scanning all of them.
        services.AddSingleton(new RegisteredLifetimes(services));
        services.AddSingleton<EventHandlerIndex>();
        services.Replace(ServiceDescriptor.Scoped<IOpenIddictServerDispatcher, IndexedServerDispatcher>());

        // RFC 8705 only: no shared secrets, no client assertions. A post-configure step, because the ASP.NET Core
        // integration adds client_secret_basic in its own configure step, after ours.
        services.PostConfigure<OpenIddictServerOptions>(options =>
        {
            options.ClientAuthenticationMethods.Clear();
            options.ClientAuthenticationMethods.Add(ClientAuthenticationMethods.TlsClientAuth);
            options.ClientAuthenticationMethods.Add(ClientAuthenticationMethods.SelfSignedTlsClientAuth);
            options.ClientAssertionTypes.Clear();
        });

        // Idle unless Tokens:Storage is Database (each checks the validated option when it starts).
        services.AddHostedService<ExpiredTokenPruner>();
        services.AddSingleton<TokenRowWriter>();
        services.AddHostedService(provider => provider.GetRequiredService<TokenRowWriter>());
        return builder;
    }
}
