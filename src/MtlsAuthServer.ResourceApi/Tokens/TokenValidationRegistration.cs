using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using MtlsAuthServer.Pki;
using MtlsAuthServer.ResourceApi.Diagnostics;
using MtlsAuthServer.ServiceDefaults.Hosting;
using OpenIddict.Validation.AspNetCore;
using Polly;

namespace MtlsAuthServer.ResourceApi.Tokens;

public static class TokenValidationRegistration
{
    /// <summary>
    /// OpenIddict validation in the configured mode. Local: discovery and JWKS from the token server's public
    /// listener (cached; an unknown <c>kid</c> triggers a refresh, so a key rollover needs no restart). Introspection:
    /// RFC 7662 on the token server's mTLS alias, authenticated with this API's certificate (<c>tls_client_auth</c>),
    /// results cached briefly. Both: audience, issuer, expiry, and our certificate-binding rules on top.
    /// </summary>
    public static WebApplicationBuilder AddTokenValidation(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(TokenValidationOptions.Section).Get<TokenValidationOptions>() ?? new TokenValidationOptions();
        var check = new TokenValidationOptionsValidator().Validate(null, settings);
        if (check.Failed)
        {
            throw new InvalidDataException(check.FailureMessage);
        }

        var environment = builder.Environment;
        var anchors = TrustAnchorOptions.Read(builder);
        var serverTrust = new TokenServerTrust(settings.TokenServerTrustAnchorsPath is { } ownAnchors
            ? TrustBundle.Load(ConfiguredPath.Resolve(environment, ownAnchors), $"{TokenValidationOptions.Section}:TokenServerTrustAnchorsPath",
                anchors.IntermediatesPath, $"{TrustAnchorOptions.Section}:IntermediatesPath")
            : anchors.Load());

        var services = builder.Services;
        services.AddOptions<TokenValidationOptions>().BindConfiguration(TokenValidationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<TokenValidationOptions>, TokenValidationOptionsValidator>();
        services.AddSingleton<CertificateBindingEnforcer>();
        services.AddSingleton<IntrospectionCache>();
        services.AddSingleton<ResourceApiMetrics>();
        services.AddSingleton<TokenValidationAudit>();
        services.AddHttpContextAccessor();
        services.AddHostedService<TokenValidationStartupWarnings>();

        services.AddOpenIddict().AddValidation(validation =>
        {
            validation.SetIssuer(settings.Issuer)
                .AddAudiences(settings.Audience)
                .Configure(options => options.TokenValidationParameters.ClockSkew = settings.ClockSkew)
                .AddEventHandler(ScrubChallengeDetails.Descriptor);
            if (settings.EnforceCertificateBinding)
            {
                validation.AddEventHandler(EnforceCertificateBinding.Descriptor)
                    .AddEventHandler(EnforceIntrospectedCertificateBinding.Descriptor);
            }
            else
            {
                // Measurement only (see the option): OpenIddict's own proof-of-possession checks go too.
                validation.Configure(options => options.Handlers.RemoveAll(descriptor =>
                    descriptor.ServiceDescriptor.ServiceType == typeof(OpenIddict.Validation.OpenIddictValidationHandlers.Protection.ValidateProofOfPossession) ||
                    descriptor.ServiceDescriptor.ServiceType == typeof(OpenIddict.Validation.OpenIddictValidationHandlers.ValidateIntrospectedTokenProofOfPossession)));
            }

            if (settings.Mode == TokenValidationMode.Introspection)
            {
                var introspection = settings.Introspection;
                var (certificate, intermediates) = CertificateWithKey.Load(ConfiguredPath.Resolve(environment, introspection.CertificatePath),
                    ConfiguredPath.Resolve(environment, introspection.KeyPath), introspection.Password, $"{TokenValidationOptions.Section}:Introspection:Certificate");
                var clientCertificate = new IntrospectionClientCertificate(certificate, intermediates, serverTrust);
                // The container owns (and disposes) it; it swaps in a handler that sends leaf + intermediates.
                services.AddSingleton<IHttpMessageHandlerBuilderFilter>(_ => clientCertificate);
                // OpenIddict presents a registered client-authentication certificate (clientAuth EKU, not self-issued)
                // for tls_client_auth, and then calls the introspection endpoint's mTLS alias (RFC 8705 §5).
                validation.UseIntrospection()
                    .SetClientId(introspection.ClientId)
                    .AddSigningCredentials(ClientCertificateCredentials(certificate))
                    .AddEventHandler(RecordTokenServerRefusal.Descriptor);
                if (introspection.CacheDuration > TimeSpan.Zero)
                {
                    validation.AddEventHandler(UseCachedIntrospection.Descriptor).AddEventHandler(StoreIntrospectionResult.Descriptor);
                }
            }

            validation.UseSystemNetHttp()
                .ConfigureHttpClientHandler(serverTrust.Apply)
                // One bounded attempt: a request waits at most this long for the token server, no retry storm.
                .SetHttpResiliencePipeline(pipeline => pipeline.AddTimeout(settings.TokenServerTimeout));

            validation.UseAspNetCore()
                // RFC 6750 §2.3 / RFC 9700 §4.3.2: tokens in URLs end up in logs; only the Authorization header is read.
                .DisableAccessTokenExtractionFromQueryString()
                .DisableAccessTokenExtractionFromBodyForm();
        });

        services.AddAuthentication(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        return builder;
    }

    private const string EcPublicKeyOid = "1.2.840.10045.2.1";

    /// <summary>OpenIddict can't infer an algorithm from an X.509 key; it is only used to sign client assertions, which we don't.</summary>
    private static SigningCredentials ClientCertificateCredentials(X509Certificate2 certificate) =>
        new(new X509SecurityKey(certificate), certificate.PublicKey.Oid.Value == EcPublicKeyOid ? SecurityAlgorithms.EcdsaSha256 : SecurityAlgorithms.RsaSha256);
}

/// <summary>Says loudly at start-up when the API runs with a weaker setting than RFC 8705 intends.</summary>
public sealed class TokenValidationStartupWarnings(IOptions<TokenValidationOptions> options, ILogger<TokenValidationStartupWarnings> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.RequireCertificateBoundTokens)
        {
            ResourceApiLog.CertificateBindingNotRequired(logger);
        }

        if (!options.Value.EnforceCertificateBinding)
        {
            ResourceApiLog.CertificateBindingDisabled(logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
