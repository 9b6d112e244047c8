using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using MtlsAuthServer.ServiceDefaults.Hosting;
using MtlsAuthServer.ResourceApi.Diagnostics;
using OpenIddict.Validation;
using OpenIddict.Validation.AspNetCore;
using OpenIddict.Validation.SystemNetHttp;

namespace MtlsAuthServer.ResourceApi.Tokens;

public static class TokenValidationRegistration
{
    /// <summary>
    /// OpenIddict validation in the configured mode. Local: discovery and JWKS from the token server's public
    /// listener (cached; an unknown <c>kid</c> triggers a refresh, so a key rollover needs no restart). Introspection:
    /// RFC 7662 on the token server's mTLS alias, authenticated with this API's certificate (<c>tls_client_auth</c>),
    /// results cached briefly. Both: audience, issuer, expiry, and our certificate-binding rules on top. Nothing is
    /// read from configuration here: <see cref="ConfigureTokenValidation"/> applies the validated section.
    /// </summary>
    public static WebApplicationBuilder AddTokenValidation(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TokenValidationOptions>().BindConfiguration(TokenValidationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<TokenValidationOptions>, TokenValidationOptionsValidator>();
        services.AddSingleton<IValidateOptions<TokenValidationOptions>, TokenValidationFilesValidator>();
        services.AddSingleton<CertificateBindingEnforcer>();
        services.AddSingleton<IntrospectionCache>();
        services.AddSingleton<ResourceApiMetrics>();
        services.AddSingleton<TokenValidationAudit>();
        services.AddHttpContextAccessor();
        services.AddHostedService<TokenValidationStartupWarnings>();
        services.AddSingleton(provider => new TokenServerTrust(TokenServerTrustFiles.Load(provider.GetRequiredService<IHostEnvironment>(),
            provider.GetRequiredService<IOptions<TokenValidationOptions>>().Value, provider.GetRequiredService<IOptions<TrustAnchorOptions>>().Value)));
        services.AddSingleton(IntrospectionClientCertificate.Load);
        // The container owns (and disposes) the certificate; in Introspection mode it swaps in a handler that sends leaf + intermediates.
        services.AddSingleton<IHttpMessageHandlerBuilderFilter>(provider =>
            provider.GetRequiredService<IOptions<TokenValidationOptions>>().Value.Mode == TokenValidationMode.Introspection
                ? provider.GetRequiredService<IntrospectionClientCertificate>()
                : new KeepHandlers());

        services.AddOpenIddict().AddValidation(validation =>
        {
            validation.AddEventHandler(ScrubChallengeDetails.Descriptor);
            validation.UseSystemNetHttp();
            validation.UseAspNetCore()
                // RFC 6750 §2.3 / RFC 9700 §4.3.2: tokens in URLs end up in logs; only the Authorization header is read.
                .DisableAccessTokenExtractionFromQueryString()
                .DisableAccessTokenExtractionFromBodyForm();
        });
        // After the builder's own configuration, so the handlers chosen by mode are added to (or removed from) its list.
        services.AddSingleton<IConfigureOptions<OpenIddictValidationOptions>, ConfigureTokenValidation>();
        services.AddSingleton<IConfigureOptions<OpenIddictValidationSystemNetHttpOptions>, ConfigureTokenServerConnections>();
        foreach (var descriptor in ConfigureTokenValidation.ChosenHandlers)
        {
            services.Add(descriptor.ServiceDescriptor);
        }

        services.AddAuthentication(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        return builder;
    }

    /// <summary>Local mode: no client certificate to present, the handlers stay as built.</summary>
    private sealed class KeepHandlers : IHttpMessageHandlerBuilderFilter
    {
        public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => next;
    }
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
