using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Validation;
using OpenIddict.Validation.SystemNetHttp;
using Polly;

namespace MtlsAuthServer.ResourceApi.Tokens;

/// <summary>
/// The OpenIddict validation settings that come from the validated <c>TokenValidation</c> section: issuer, audience,
/// clock skew, the mode (Introspection: client id and this API's certificate for <c>tls_client_auth</c>), and the
/// handlers the settings choose: our binding checks, or, with <c>EnforceCertificateBinding=false</c>, none at all.
/// </summary>
public sealed class ConfigureTokenValidation(IOptions<TokenValidationOptions> validation, IServiceProvider services) : IConfigureOptions<OpenIddictValidationOptions>
{
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";

    /// <summary>Every handler a setting may add; registered in the container whatever the settings.</summary>
    public static IReadOnlyList<OpenIddictValidationHandlerDescriptor> ChosenHandlers { get; } =
    [
        EnforceCertificateBinding.Descriptor, EnforceIntrospectedCertificateBinding.Descriptor, RecordTokenServerRefusal.Descriptor,
        UseCachedIntrospection.Descriptor, StoreIntrospectionResult.Descriptor,
    ];

    public void Configure(OpenIddictValidationOptions options)
    {
        var settings = validation.Value;
        options.Issuer = new Uri(settings.Issuer, UriKind.Absolute);
        options.Audiences.Add(settings.Audience);
        options.TokenValidationParameters.ClockSkew = settings.ClockSkew;
        if (settings.EnforceCertificateBinding)
        {
            options.Handlers.Add(EnforceCertificateBinding.Descriptor);
            options.Handlers.Add(EnforceIntrospectedCertificateBinding.Descriptor);
        }
        else
        {
            // Measurement only (see the option): OpenIddict's own proof-of-possession checks go too.
            options.Handlers.RemoveAll(descriptor =>
                descriptor.ServiceDescriptor.ServiceType == typeof(OpenIddictValidationHandlers.Protection.ValidateProofOfPossession) ||
                descriptor.ServiceDescriptor.ServiceType == typeof(OpenIddictValidationHandlers.ValidateIntrospectedTokenProofOfPossession));
        }

        if (settings.Mode != TokenValidationMode.Introspection)
        {
            return;
        }

        // OpenIddict presents a registered client-authentication certificate (clientAuth EKU, not self-issued) for
        // tls_client_auth, and then calls the introspection endpoint's mTLS alias (RFC 8705 §5).
        options.ValidationType = OpenIddictValidationType.Introspection;
        options.ClientId = settings.Introspection.ClientId;
        options.SigningCredentials.Add(ClientCertificateCredentials(services.GetRequiredService<IntrospectionClientCertificate>().Leaf));
        options.Handlers.Add(RecordTokenServerRefusal.Descriptor);
        if (settings.Introspection.CacheDuration > TimeSpan.Zero)
        {
            options.Handlers.Add(UseCachedIntrospection.Descriptor);
            options.Handlers.Add(StoreIntrospectionResult.Descriptor);
        }
    }

    /// <summary>OpenIddict can't infer an algorithm from an X.509 key; it is only used to sign client assertions, which we don't.</summary>
    private static SigningCredentials ClientCertificateCredentials(X509Certificate2 certificate) =>
        new(new X509SecurityKey(certificate), certificate.PublicKey.Oid.Value == EcPublicKeyOid ? SecurityAlgorithms.EcdsaSha256 : SecurityAlgorithms.RsaSha256);
}

/// <summary>Every connection to the token server: its certificate checked against our anchors, one bounded attempt.</summary>
public sealed class ConfigureTokenServerConnections(IOptions<TokenValidationOptions> validation, TokenServerTrust serverTrust) : IConfigureOptions<OpenIddictValidationSystemNetHttpOptions>
{
    public void Configure(OpenIddictValidationSystemNetHttpOptions options)
    {
        options.HttpClientHandlerActions.Add(serverTrust.Apply);
        // One bounded attempt: a request waits at most this long for the token server, no retry storm.
        options.HttpResiliencePipeline = new ResiliencePipelineBuilder<HttpResponseMessage>().AddTimeout(validation.Value.TokenServerTimeout).Build();
    }
}
