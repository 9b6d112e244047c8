using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MtlsAuthServer.Certificates;
using MtlsAuthServer.Certificates.Revocation;
using MtlsAuthServer.Diagnostics;
using MtlsAuthServer.Monitoring;
using MtlsAuthServer.ServiceDefaults.Hosting;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Specs.Support;

/// <summary>
/// The production <see cref="ClientCertificateValidator"/> with its real chain cache, policy factory and options,
/// on fake time, with the revocation answer scripted: the unit here is the validator's decision, not the fetching
/// and parsing of CRLs and OCSP answers (their own specs cover those).
/// </summary>
public sealed class ValidatorUnderTest : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly ClientChainPolicyFactory _policies;

    public ValidatorUnderTest(TestPki pki, Action<RevocationOptions>? revocation = null)
    {
        Time = new FakeTimeProvider(TestPki.Now);
        Trust = new TrustMaterialProvider(new TrustAnchorOptions { Path = pki.TrustAnchorsPath, IntermediatesPath = pki.IntermediatesPath }.Load());
        _policies = new ClientChainPolicyFactory(Trust);
        _services = new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddSingleton<TimeProvider>(Time)
            .AddSingleton<IRevocationChecker>(Revocation)
            .AddSingleton<ChainBuildCache>()
            .AddSingleton<StaticCheckMemo>()
            .AddSingleton<AuthenticationMetrics>()
            .AddSingleton<ClientCertificateSightings>() // only written to by accepted authentications, which the validator does not log
            .AddSingleton<ClientAuthenticationAudit>()
            .AddSingleton<PathRevocationCheck>()
            .AddSingleton<ClientCertificateValidator>()
            .AddSingleton<IOptionsMonitor<ClientCertificateOptions>>(ClientOptions)
            .Configure<RevocationOptions>(options => revocation?.Invoke(options))
            .BuildServiceProvider();
    }

    public FakeTimeProvider Time { get; }

    /// <summary>The trust material the policies are built on; <see cref="TrustMaterialProvider.Replace"/> is a hot reload.</summary>
    public TrustMaterialProvider Trust { get; }

    /// <summary>Replace <see cref="SwitchableOptionsMonitor{T}.Current"/> to reload <c>ClientCertificate</c> options.</summary>
    public SwitchableOptionsMonitor<ClientCertificateOptions> ClientOptions { get; } = new(new ClientCertificateOptions());

    public ScriptedRevocationChecker Revocation { get; } = new();

    public ClientCertificateValidator Validator => _services.GetRequiredService<ClientCertificateValidator>();

    public Task<CertificateValidationReport> ValidateIssuedAsync(
        X509Certificate2 certificate, ClientIdentity? identity = null, bool runAllChecks = false, params X509Certificate2[] sentIntermediates) =>
        Validator.ValidateIssuedAsync(certificate, _policies.Create(sentIntermediates), identity, runAllChecks, CancellationToken.None);

    public void Dispose() => _services.Dispose();
}

/// <summary>Answers every revocation question with <see cref="Answer"/> and counts the questions.</summary>
public sealed class ScriptedRevocationChecker : IRevocationChecker
{
    public RevocationCheckResult Answer { get; set; } = new(RevocationStatus.Good, "crl", "scripted good");

    public int Questions { get; private set; }

    public ValueTask<RevocationCheckResult> CheckAsync(X509Certificate2 certificate, X509Certificate2 issuer, CancellationToken cancellationToken)
    {
        Questions++;
        return ValueTask.FromResult(Answer);
    }
}
