using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http.Features;
using MtlsAuthServer.Certificates;
using MtlsAuthServer.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;

namespace MtlsAuthServer.Registration;

/// <summary>
/// RFC 7592 management needs, besides the registration access token, mTLS with the client's current certificate: the
/// certificate must authenticate as the client exactly as at the token endpoint, so the decision is the application
/// manager's (<see cref="Rfc8705ApplicationManager"/>: chain, validity, usage, revocation, RFC 8705 identity, or the
/// registered self-signed certificates), logged and counted at endpoint <c>registration</c> like any other.
/// </summary>
public sealed class RegisteredCertificateCheck(
    IOpenIddictApplicationManager applications, ClientAuthenticationContext request, PresentedChainCache presentedChains)
{
    public const string Endpoint = "registration";

    public async Task<bool> AuthenticatesAsync(ManagedClient client, X509Certificate2 certificate, IFeatureCollection features, CancellationToken cancellationToken)
    {
        var manager = (Rfc8705ApplicationManager)applications;
        var application = (OpenIddictEntityFrameworkCoreApplication)client.Application;
        request.Endpoint = Endpoint;
        request.Certificate = certificate;
        request.PresentedIntermediates = presentedChains.ForRequest(certificate, features, out var rememberOnSuccess);
        request.RememberIntermediatesOnSuccess = rememberOnSuccess;
        try
        {
            if (client.Metadata.TokenEndpointAuthMethod == Clients.ClientRegistration.SelfSignedTlsClientAuth)
            {
                var selfSigned = await manager.GetSelfSignedTlsClientAuthenticationPolicyAsync(application, new X509ChainPolicy(), cancellationToken);
                return selfSigned is not null && await manager.ValidateSelfSignedTlsClientCertificateAsync(application, certificate, selfSigned, cancellationToken);
            }

            var policy = await manager.GetPublicKeyInfrastructureTlsClientAuthenticationPolicyAsync(application, new X509ChainPolicy(), cancellationToken);
            return policy is not null && await manager.ValidatePublicKeyInfrastructureTlsClientCertificateAsync(application, certificate, policy, cancellationToken);
        }
        finally
        {
            // Later lookups in this request (the change itself) read the store, not the token endpoints' snapshots.
            request.Endpoint = "-";
        }
    }
}
