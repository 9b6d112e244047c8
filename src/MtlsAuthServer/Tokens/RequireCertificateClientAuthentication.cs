using Microsoft.AspNetCore;
using MtlsAuthServer.CertificateForwarding;
using MtlsAuthServer.Certificates;
using MtlsAuthServer.Clients;
using MtlsAuthServer.Diagnostics;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;
using static OpenIddict.Server.OpenIddictServerHandlers;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// Runs at the token, introspection and revocation endpoints before OpenIddict looks at client credentials,
/// and refuses, with a logged reason, everything that isn't certificate authentication of a known, enabled
/// client: secrets and client assertions (RFC 8705 clients authenticate by certificate only), a missing
/// certificate, a missing or unknown <c>client_id</c> (RFC 8705 §2 requires it), a disabled client.
/// </summary>
public sealed class RequireCertificateClientAuthentication<TContext>(
    IOpenIddictApplicationManager applications, ClientAuthenticationContext request, ClientAuthenticationAudit audit, PresentedChainCache presentedChains)
    : IOpenIddictServerHandler<TContext>
    where TContext : BaseValidatingClientContext
{
    public async ValueTask HandleAsync(TContext context)
    {
        var endpoint = EndpointNames.Of(context.EndpointType) ?? "-";
        var certificate = context.Transaction.RemoteCertificate;
        var clientId = context.Transaction.Request!.ClientId;
        request.Endpoint = endpoint;
        request.Certificate = certificate;
        var features = context.Transaction.GetHttpRequest()?.HttpContext.Features;
        request.PresentedIntermediates = presentedChains.ForRequest(certificate, features, out var rememberOnSuccess);
        request.RememberIntermediatesOnSuccess = rememberOnSuccess;

        if (!string.IsNullOrEmpty(context.Transaction.Request!.ClientSecret) || !string.IsNullOrEmpty(context.Transaction.Request!.ClientAssertion))
        {
            Reject(context, RejectionReason.AuthenticationMethodNotAllowed, "a client_secret or client_assertion was sent; only mTLS client authentication is accepted");
            return;
        }

        if (certificate is null)
        {
            // Behind a proxy, say why there is none: a forged header from an untrusted sender, an unusable forwarded one...
            var (reason, detail) = MissingCertificateReason.Of(features?.Get<ForwardedClientCertificateFeature>());
            Reject(context, reason, detail);
            return;
        }

        if (string.IsNullOrEmpty(clientId))
        {
            Reject(context, RejectionReason.UnknownClient, "the client_id parameter is missing (RFC 8705 §2)");
            return;
        }

        var application = await applications.FindByClientIdAsync(clientId);
        if (application is null)
        {
            Reject(context, RejectionReason.UnknownClient, "no client is registered with this client_id");
            return;
        }

        if (ClientMetadata.FromSettings(await applications.GetSettingsAsync(application)).Disabled)
        {
            Reject(context, RejectionReason.ClientDisabled, "the client was removed from configuration and is disabled");
        }
    }

    private void Reject(TContext context, RejectionReason reason, string detail)
    {
        audit.Rejected(reason, context.Transaction.Request!.ClientId, request.Endpoint, request.Certificate, detail);
        request.RejectionRecorded = true;
        context.Reject(Errors.InvalidClient, "The client could not be authenticated with a certificate.");
    }
}

/// <summary>Descriptors placing the gate just before OpenIddict's client-credential checks of each endpoint.</summary>
public static class RequireCertificateClientAuthentication
{
    public static IEnumerable<OpenIddictServerHandlerDescriptor> Descriptors =>
    [
        Before<ValidateTokenRequestContext>(Exchange.ValidateClientCredentialsParameters.Descriptor.Order),
        Before<ValidateIntrospectionRequestContext>(Introspection.ValidateClientCredentialsParameters.Descriptor.Order),
        Before<ValidateRevocationRequestContext>(Revocation.ValidateClientCredentialsParameters.Descriptor.Order),
    ];

    private static OpenIddictServerHandlerDescriptor Before<TContext>(int order)
        where TContext : BaseValidatingClientContext =>
        OpenIddictServerHandlerDescriptor.CreateBuilder<TContext>()
            .UseScopedHandler<RequireCertificateClientAuthentication<TContext>>()
            .SetOrder(order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();
}
