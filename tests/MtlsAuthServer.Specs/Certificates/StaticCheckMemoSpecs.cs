using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Certificates;
using MtlsAuthServer.Certificates.Revocation;
using MtlsAuthServer.Diagnostics;
using MtlsAuthServer.ServiceDefaults.Hosting;
using MtlsAuthServer.Specs.Support;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Specs.Certificates;

/// <summary>
/// A kept-alive connection presents the same certificate object on every request, and <see cref="StaticCheckMemo"/>
/// spares it the decoding and chain checks after its first success. Whatever changed since must still refuse it on
/// its next request: time, revocation, trust material, options, the client it claims to be.
/// </summary>
public sealed class StaticCheckMemoSpecs : IDisposable
{
    private static readonly ClientIdentity Payments = new(ClientIdentityKind.SubjectDn, "CN=payments,O=Test Org");
    private static readonly ClientIdentity Billing = new(ClientIdentityKind.SubjectDn, "CN=billing,O=Test Org");

    private readonly TestPki _pki = TestPki.Create();
    private readonly ValidatorUnderTest _validator;
    private readonly X509Certificate2 _certificate;

    public StaticCheckMemoSpecs()
    {
        _validator = new ValidatorUnderTest(_pki);
        _certificate = _pki.IssueClient("CN=payments, O=Test Org");
    }

    [Fact]
    public async Task The_next_request_on_the_same_certificate_object_reuses_the_static_checks_and_reports_the_same_checks()
    {
        var first = await PassesAsync();
        var questionsOfOneRequest = _validator.Revocation.Questions;
        var second = await _validator.ValidateIssuedAsync(_certificate, Payments);

        Assert.True(second.IsValid, second.FirstFailure?.Detail);
        Assert.Equal(first.Checks.Select(check => check.Name), second.Checks.Select(check => check.Name));
        Assert.Same(first.Checks[0], second.Checks[0]); // the encoding verdict was not decided again
        Assert.Equal(2 * questionsOfOneRequest, _validator.Revocation.Questions); // revocation was
    }

    [Fact]
    public async Task A_certificate_revoked_since_its_last_request_is_refused_on_the_next()
    {
        await PassesAsync();
        _validator.Revocation.Answer = new RevocationCheckResult(RevocationStatus.Revoked, "crl", "scripted revoked");

        await RefusedAsync(RejectionReason.CertificateRevoked, Payments);
    }

    [Fact]
    public async Task A_certificate_that_expired_since_its_last_request_is_refused_on_the_next()
    {
        await PassesAsync();
        _validator.Time.SetUtcNow(_certificate.NotAfter.ToUniversalTime().AddDays(1));

        await RefusedAsync(RejectionReason.CertificateExpired, Payments);
    }

    [Fact]
    public async Task After_the_trust_anchors_are_replaced_the_chain_is_built_again()
    {
        await PassesAsync();
        using var other = TestPki.Create();
        _validator.Trust.Replace(new TrustAnchorOptions { Path = other.TrustAnchorsPath, IntermediatesPath = other.IntermediatesPath }.Load());

        await RefusedAsync(RejectionReason.ChainUntrusted, Payments);
    }

    [Fact]
    public async Task After_the_options_are_reloaded_with_a_stricter_minimum_the_algorithms_are_judged_again()
    {
        await PassesAsync();
        _validator.ClientOptions.Current = new ClientCertificateOptions { MinimumEcCurveBits = 384 };

        await RefusedAsync(RejectionReason.WeakCertificate, Payments);
    }

    [Fact]
    public async Task The_same_certificate_claimed_for_another_client_is_compared_with_that_clients_identity()
    {
        await PassesAsync();

        await RefusedAsync(RejectionReason.IdentityMismatch, Billing);
        Assert.True((await _validator.ValidateIssuedAsync(_certificate, Payments)).IsValid);
    }

    [Fact]
    public async Task A_refusal_is_never_remembered()
    {
        _validator.Revocation.Answer = new RevocationCheckResult(RevocationStatus.Revoked, "crl", "scripted revoked");
        var refused = await _validator.ValidateIssuedAsync(_certificate, Payments);
        _validator.Revocation.Answer = new RevocationCheckResult(RevocationStatus.Good, "crl", "scripted good");

        var next = await _validator.ValidateIssuedAsync(_certificate, Payments);

        Assert.False(refused.IsValid);
        Assert.True(next.IsValid);
        Assert.NotSame(refused.Checks[0], next.Checks[0]);
    }

    [Fact]
    public async Task Another_object_with_the_same_bytes_and_the_diagnose_command_decide_everything_again()
    {
        var first = await PassesAsync();
        using var sameBytes = X509CertificateLoader.LoadCertificate(_certificate.RawData);

        var other = await _validator.ValidateIssuedAsync(sameBytes, Payments);
        var diagnosed = await _validator.ValidateIssuedAsync(_certificate, Payments, runAllChecks: true);

        Assert.True(other.IsValid);
        Assert.NotSame(first.Checks[0], other.Checks[0]);
        Assert.NotSame(first.Checks[0], diagnosed.Checks[0]);
    }

    public void Dispose()
    {
        _certificate.Dispose();
        _validator.Dispose();
        _pki.Dispose();
    }

    private async Task<CertificateValidationReport> PassesAsync()
    {
        var report = await _validator.ValidateIssuedAsync(_certificate, Payments);
        Assert.True(report.IsValid, report.FirstFailure?.Detail);
        return report;
    }

    private async Task RefusedAsync(RejectionReason reason, ClientIdentity identity)
    {
        var report = await _validator.ValidateIssuedAsync(_certificate, identity);
        Assert.Equal(reason, report.FirstFailure?.Reason);
    }
}
