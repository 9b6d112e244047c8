using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Pki;
using MtlsAuthServer.Certificates;
using MtlsAuthServer.Clients;
using OpenIddict.Abstractions;

namespace MtlsAuthServer.Diagnostics;

public enum CheckVerdict
{
    Pass,
    Fail,
    Skip,
}

/// <summary>One line of a diagnosis: a named check, its verdict, and for a failure the reason the server logs.</summary>
public sealed record DiagnosisLine(string Check, CheckVerdict Verdict, RejectionReason? Reason, string Detail);

/// <summary>Every check run on one certificate, in the server's order; the first failure is what the server would log.</summary>
public sealed record Diagnosis(IReadOnlyList<DiagnosisLine> Lines)
{
    public DiagnosisLine? FirstFailure => Lines.FirstOrDefault(line => line.Verdict == CheckVerdict.Fail);
}

/// <summary>
/// Runs, for a certificate given offline, what a token request presenting it runs: the client checks of
/// <c>RequireCertificateClientAuthentication</c> and the auth-method split OpenIddict makes (self-issued or
/// not), then <see cref="ClientCertificateValidator"/> with all checks, against the registration stored in the
/// database and the configured trust anchors, chain policy, clock skew and revocation settings.
/// </summary>
public sealed class CertificateDiagnosis(
    IOpenIddictApplicationManager applications, ClientCertificateValidator validator, ClientChainPolicyFactory chainPolicies)
{
    public const string ClientCheck = "client";

    private static readonly string[] IssuedChecks =
    [
        ClientCertificateValidator.ChainCheck, ClientCertificateValidator.AlgorithmsCheck, ClientCertificateValidator.ValidityCheck,
        ClientCertificateValidator.UsageCheck, ClientCertificateValidator.RevocationCheck, ClientCertificateValidator.IdentityCheck,
    ];

    private static readonly string[] SelfSignedChecks =
    [
        ClientCertificateValidator.RegistrationCheck, ClientCertificateValidator.AlgorithmsCheck, ClientCertificateValidator.ValidityCheck,
        ClientCertificateValidator.UsageCheck,
    ];

    public async Task<Diagnosis> RunAsync(
        X509Certificate2 certificate, IReadOnlyList<X509Certificate2> presentedChain, string? clientId, CancellationToken cancellationToken)
    {
        var lines = new List<DiagnosisLine>();
        // OpenIddict's split: a self-issued certificate is self_signed_tls_client_auth, anything else tls_client_auth.
        var selfSigned = TrustBundle.IsSelfIssued(certificate);
        RegisteredClient? client = null;
        var clientUsable = false;
        if (clientId is not null)
        {
            client = await FindAsync(clientId, cancellationToken).ConfigureAwait(false);
            var line = JudgeClient(clientId, client, selfSigned);
            clientUsable = line.Verdict == CheckVerdict.Pass;
            lines.Add(line);
        }
        else if (selfSigned && await FindSelfSignedOwnerAsync(certificate, cancellationToken).ConfigureAwait(false) is { } owner)
        {
            client = owner;
            clientUsable = true;
            lines.Add(new DiagnosisLine(ClientCheck, CheckVerdict.Pass, null, $"registered for client '{owner.ClientId}' (found by the certificate)"));
        }

        if (selfSigned)
        {
            var registered = clientUsable ? client!.RegisteredSha256 : [];
            Add(lines, validator.ValidateSelfSigned(certificate, registered, runAllChecks: true), SelfSignedChecks,
                "a self-signed certificate has no chain, CA or CRL: it is trusted by being registered");
            return new Diagnosis(lines);
        }

        var identity = clientUsable ? client!.Metadata.Identity : null;
        var report = await validator.ValidateIssuedAsync(
            certificate, chainPolicies.Create(presentedChain), identity, runAllChecks: true, cancellationToken).ConfigureAwait(false);
        Add(lines, report, IssuedChecks, "needs a chain that builds to a configured trust anchor");
        if (identity is null)
        {
            var index = lines.FindIndex(line => line.Check == ClientCertificateValidator.IdentityCheck);
            lines[index] = new DiagnosisLine(ClientCertificateValidator.IdentityCheck, CheckVerdict.Skip, null,
                clientId is null ? "no --client-id given: the registered identity is not compared" : "the client check failed");
        }

        return new Diagnosis(lines);
    }

    private static void Add(List<DiagnosisLine> lines, CertificateValidationReport report, string[] expected, string skipped)
    {
        foreach (var name in expected)
        {
            var check = report.Checks.FirstOrDefault(c => c.Name == name);
            lines.Add(check is null
                ? new DiagnosisLine(name, CheckVerdict.Skip, null, skipped)
                : new DiagnosisLine(name, check.Passed ? CheckVerdict.Pass : CheckVerdict.Fail, check.Reason, check.Detail));
        }
    }

    private static DiagnosisLine JudgeClient(string clientId, RegisteredClient? client, bool selfSigned)
    {
        if (client is null)
        {
            return Fail(RejectionReason.UnknownClient, $"no client is registered with client_id '{clientId}' (the server registers configured clients when it starts)");
        }

        var metadata = client.Metadata;
        if (metadata.Disabled)
        {
            return Fail(RejectionReason.ClientDisabled, "the client was removed from configuration and is disabled");
        }

        if (selfSigned && !metadata.IsSelfSigned)
        {
            return Fail(RejectionReason.AuthenticationMethodMismatch, $"client is registered for {metadata.AuthMethod} but the certificate is self-signed");
        }

        if (!selfSigned && !metadata.IsTlsClientAuth)
        {
            return Fail(RejectionReason.AuthenticationMethodMismatch, $"client is registered for {metadata.AuthMethod} but the certificate is CA-issued");
        }

        var how = metadata.Identity is { } identity ? $" with {identity.MetadataName} '{identity.Value}'" : $" with {client.RegisteredSha256.Count} registered certificate(s)";
        return new DiagnosisLine(ClientCheck, CheckVerdict.Pass, null, $"'{clientId}' is registered for {metadata.AuthMethod}{how}");

        static DiagnosisLine Fail(RejectionReason reason, string detail) => new(ClientCheck, CheckVerdict.Fail, reason, detail);
    }

    private async Task<RegisteredClient?> FindAsync(string clientId, CancellationToken cancellationToken)
    {
        var application = await applications.FindByClientIdAsync(clientId, cancellationToken).ConfigureAwait(false);
        return application is null ? null : await DescribeAsync(clientId, application, cancellationToken).ConfigureAwait(false);
    }

    private async Task<RegisteredClient?> FindSelfSignedOwnerAsync(X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        var presented = SHA256.HashData(certificate.RawData);
        await foreach (var application in applications.ListAsync(count: null, offset: null, cancellationToken).ConfigureAwait(false))
        {
            var clientId = await applications.GetClientIdAsync(application, cancellationToken).ConfigureAwait(false);
            var client = await DescribeAsync(clientId ?? "-", application, cancellationToken).ConfigureAwait(false);
            if (client.Metadata is { IsSelfSigned: true, Disabled: false }
                && client.RegisteredSha256.Any(hash => CryptographicOperations.FixedTimeEquals(hash, presented)))
            {
                return client;
            }
        }

        return null;
    }

    /// <summary>The client's RFC 8705 metadata and, for self-signed clients, SHA-256 of each registered x5c (as the application manager compares).</summary>
    private async Task<RegisteredClient> DescribeAsync(string clientId, object application, CancellationToken cancellationToken)
    {
        var metadata = ClientMetadata.FromSettings(await applications.GetSettingsAsync(application, cancellationToken).ConfigureAwait(false));
        var keys = await applications.GetJsonWebKeySetAsync(application, cancellationToken).ConfigureAwait(false);
        var registered = (keys?.Keys ?? []).Where(key => key.X5c is { Count: > 0 })
            .Select(key => SHA256.HashData(Convert.FromBase64String(key.X5c[0]))).ToList();
        return new RegisteredClient(clientId, metadata, registered);
    }

    private sealed record RegisteredClient(string ClientId, ClientMetadata Metadata, IReadOnlyList<byte[]> RegisteredSha256);
}
