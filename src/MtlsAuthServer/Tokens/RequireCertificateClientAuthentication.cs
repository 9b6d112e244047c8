using Microsoft.AspNetCore;
using MtlsAuthServer.Clients;
using MtlsAuthServer.Diagnostics;
using MtlsAuthServer.Hosting;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// Runs before OpenIddict's client validation at the token, introspection and revocation endpoints and refuses,
/// with a logged reason, everything that isn't certificate authentication of a known, enabled client:
/// secrets and client assertions (RFC 8705 clients authenticate by certificate only), a missing certificate,
/// a missing or unknown <c>client_id</c> (RFC 8705 §2 requires it), a disabled client.
/// </summary>
public sealed class RequireCertificateClientAuthentication(
    IOpenIddictApplicationManager applications, ClientAuthenticationContext request, ClientAuthenticationAudit audit)
    : IOpenIddictServerHandler<ProcessAuthenticationContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
            .UseScopedHandler<RequireCertificateClientAuthentication>()
            .SetOrder(OpenIddictServerHandlers.ValidateClientId.Descriptor.Order - 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ProcessAuthenticationContext context)
    {
        var endpoint = EndpointNames.Of(context.EndpointType);
        if (endpoint is null)
        {
            return;
        }

        var certificate = context.Transaction.RemoteCertificate;
        request.Endpoint = endpoint;
        request.Certificate = certificate;
        request.PresentedIntermediates =
            context.Transaction.GetHttpRequest()?.HttpContext.Features.Get<PresentedCertificateChainFeature>()?.Intermediates ?? [];

        if (!string.IsNullOrEmpty(context.ClientSecret) || !string.IsNullOrEmpty(context.ClientAssertion))
        {
            Reject(context, RejectionReason.AuthenticationMethodNotAllowed, "a client_secret or client_assertion was sent; only mTLS client authentication is accepted");
            return;
        }

        if (certificate is null)
        {
            Reject(context, RejectionReason.NoClientCertificate, "the request carried no client certificate");
            return;
        }

        if (string.IsNullOrEmpty(context.ClientId))
        {
            Reject(context, RejectionReason.UnknownClient, "the client_id parameter is missing (RFC 8705 §2)");
            return;
        }

        var application = await applications.FindByClientIdAsync(context.ClientId);
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

    private void Reject(ProcessAuthenticationContext context, RejectionReason reason, string detail)
    {
        audit.Rejected(reason, context.ClientId, request.Endpoint, request.Certificate, detail);
        request.RejectionRecorded = true;
        context.Reject(Errors.InvalidClient, "The client could not be authenticated with a certificate.");
    }
}
