using System.ComponentModel.DataAnnotations;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Certificates;
using MtlsAuthServer.Clients;
using MtlsAuthServer.Diagnostics;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using OpenIddict.EntityFrameworkCore.Models;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// OpenIddict's application manager with RFC 8705 §2 client identification. OpenIddict still decides when
/// a certificate must be checked and answers the protocol; this class decides whether the certificate is
/// acceptable for the client: its PKI rule (certificate host name vs. redirect URIs) is replaced by the
/// client's registered <c>tls_client_auth_*</c> metadata, and every check has a logged reason.
/// </summary>
public sealed class Rfc8705ApplicationManager(
    IOpenIddictApplicationCache<OpenIddictEntityFrameworkCoreApplication> cache,
    ILogger<OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<OpenIddictEntityFrameworkCoreApplication> store,
    ClientCertificateValidator validator,
    ClientChainPolicyFactory chainPolicies,
    PresentedChainCache presentedChains,
    ClientAuthenticationContext request,
    ClientAuthenticationAudit audit)
    : OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>(cache, logger, options, store)
{
    private const string MissingKeysMessageId = "ID2113";

    /// <summary>The current trust anchors (hot-reloadable) plus the intermediates the client sent.</summary>
    public override ValueTask<X509ChainPolicy?> GetPublicKeyInfrastructureTlsClientAuthenticationPolicyAsync(
        OpenIddictEntityFrameworkCoreApplication application, X509ChainPolicy policy, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<X509ChainPolicy?>(chainPolicies.Create(request.PresentedIntermediates));

    public override async ValueTask<bool> ValidatePublicKeyInfrastructureTlsClientCertificateAsync(
        OpenIddictEntityFrameworkCoreApplication application, X509Certificate2 certificate, X509ChainPolicy policy,
        CancellationToken cancellationToken = default)
    {
        var (clientId, metadata) = await DescribeAsync(application, cancellationToken);
        if (!metadata.IsTlsClientAuth)
        {
            return Reject(RejectionReason.AuthenticationMethodMismatch, clientId, certificate,
                $"client is registered for {metadata.AuthMethod} but presented a CA-issued certificate");
        }

        var report = await validator.ValidateIssuedAsync(certificate, policy, metadata.Identity, runAllChecks: false, cancellationToken);
        // What built this leaf's chain to an anchor, sent by the holder of its key, is kept for its resumed sessions
        // (docs/adr/0005), whatever the later checks of this one request say: they run again on every request.
        if (request.RememberIntermediatesOnSuccess && report.Checks.Any(check => check is { Name: ClientCertificateValidator.ChainCheck, Passed: true }))
        {
            presentedChains.Remember(certificate, request.PresentedIntermediates, authenticated: report.IsValid);
        }

        return Conclude(report, clientId, certificate, ClientRegistration.TlsClientAuth);
    }

    /// <summary>Only clients registered for self-signed authentication get a self-signed policy; others are refused with a reason.</summary>
    public override async ValueTask<X509ChainPolicy?> GetSelfSignedTlsClientAuthenticationPolicyAsync(
        OpenIddictEntityFrameworkCoreApplication application, X509ChainPolicy policy, CancellationToken cancellationToken = default)
    {
        var (clientId, metadata) = await DescribeAsync(application, cancellationToken);
        if (metadata.IsSelfSigned)
        {
            return policy;
        }

        Reject(RejectionReason.AuthenticationMethodMismatch, clientId, request.Certificate,
            $"client is registered for {metadata.AuthMethod} but presented a self-signed certificate");
        return null;
    }

    /// <summary>
    /// Compares the certificate with the client's registered ones by SHA-256 of the DER. Read from the
    /// x5c of the stored JWKS directly: OpenIddict's own conversion only yields certificates for RSA keys.
    /// </summary>
    public override async ValueTask<bool> ValidateSelfSignedTlsClientCertificateAsync(
        OpenIddictEntityFrameworkCoreApplication application, X509Certificate2 certificate, X509ChainPolicy policy,
        CancellationToken cancellationToken = default)
    {
        var (clientId, _) = await DescribeAsync(application, cancellationToken);
        var keys = await GetJsonWebKeySetAsync(application, cancellationToken);
        var registered = new List<byte[]>();
        foreach (var key in keys?.Keys ?? [])
        {
            if (key.X5c is { Count: > 0 } x5c)
            {
                registered.Add(SHA256.HashData(Convert.FromBase64String(x5c[0])));
            }
        }

        var report = validator.ValidateSelfSigned(certificate, registered, runAllChecks: false);
        return Conclude(report, clientId, certificate, ClientRegistration.SelfSignedTlsClientAuth);
    }

    /// <summary>
    /// OpenIddict requires a confidential client to hold a secret or a key set; a <c>tls_client_auth</c> client
    /// holds neither — its credential is the certificate identity in its settings. Drop only that objection.
    /// </summary>
    public override async IAsyncEnumerable<ValidationResult> ValidateAsync(
        OpenIddictEntityFrameworkCoreApplication application, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var metadata = ClientMetadata.FromSettings(await GetSettingsAsync(application, cancellationToken));
        var missingKeys = OpenIddictResources.GetResourceString(MissingKeysMessageId);
        await foreach (var result in base.ValidateAsync(application, cancellationToken))
        {
            if (metadata is { IsTlsClientAuth: true, Identity: not null } && result.ErrorMessage == missingKeys)
            {
                continue;
            }

            yield return result;
        }
    }

    private async ValueTask<(string ClientId, ClientMetadata Metadata)> DescribeAsync(
        OpenIddictEntityFrameworkCoreApplication application, CancellationToken cancellationToken) =>
        (await GetClientIdAsync(application, cancellationToken) ?? "-",
         ClientMetadata.FromSettings(await GetSettingsAsync(application, cancellationToken)));

    private bool Conclude(CertificateValidationReport report, string clientId, X509Certificate2 certificate, string method)
    {
        if (report.FirstFailure is { Reason: { } reason } failure)
        {
            return Reject(reason, clientId, certificate, $"{failure.Name}: {failure.Detail}");
        }

        audit.Accepted(clientId, request.Endpoint, certificate, method);
        return true;
    }

    private bool Reject(RejectionReason reason, string clientId, X509Certificate2? certificate, string detail)
    {
        audit.Rejected(reason, clientId, request.Endpoint, certificate, detail);
        request.RejectionRecorded = true;
        return false;
    }
}
