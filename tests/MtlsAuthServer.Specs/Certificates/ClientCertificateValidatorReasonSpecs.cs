using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Certificates;
using MtlsAuthServer.Certificates.Revocation;
using MtlsAuthServer.Diagnostics;
using MtlsAuthServer.Specs.Support;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Specs.Certificates;

/// <summary>
/// Every reason code <see cref="ClientCertificateValidator"/> decides, one row each: the certificate that provokes
/// it, the check that must report it, and the reason. A wrong or swapped reason fails here in milliseconds, without
/// a server; the end-to-end specs prove the same reasons reach the log over TLS.
/// </summary>
public sealed class ClientCertificateValidatorReasonSpecs : IDisposable
{
    private static readonly ClientIdentity Payments = new(ClientIdentityKind.SubjectDn, "CN=payments,O=Test Org");

    private readonly TestPki _pki = TestPki.Create();
    private readonly List<IDisposable> _owned = [];
    private readonly List<X509Certificate2> _sent = [];

    /// <summary>Reason code → (check that reports it, how the case is set up).</summary>
    public static TheoryData<string, string> IssuedCases => new()
    {
        { "certificate_malformed", ClientCertificateValidator.EncodingCheck },
        { "chain_untrusted", ClientCertificateValidator.ChainCheck },
        { "chain_invalid", ClientCertificateValidator.ChainCheck },
        { "certificate_weak", ClientCertificateValidator.AlgorithmsCheck },
        { "certificate_expired", ClientCertificateValidator.ValidityCheck },
        { "certificate_not_yet_valid", ClientCertificateValidator.ValidityCheck },
        { "not_end_entity", ClientCertificateValidator.UsageCheck },
        { "key_usage_invalid", ClientCertificateValidator.UsageCheck },
        { "eku_invalid", ClientCertificateValidator.ChainCheck },
        { "certificate_revoked", ClientCertificateValidator.RevocationCheck },
        { "revocation_unknown", ClientCertificateValidator.RevocationCheck },
        { "identity_mismatch", ClientCertificateValidator.IdentityCheck },
    };

    /// <summary>Reasons decided before or after the validator, and by whom (the end-to-end specs cover them).</summary>
    public static readonly IReadOnlyDictionary<RejectionReason, string> DecidedElsewhere = new Dictionary<RejectionReason, string>
    {
        [RejectionReason.NoClientCertificate] = "Rfc8705ApplicationManager (no certificate on the connection)",
        [RejectionReason.UnknownClient] = "the client registry",
        [RejectionReason.ClientDisabled] = "the client registry",
        [RejectionReason.AuthenticationMethodNotAllowed] = "the OAuth request rules (secrets, assertions)",
        [RejectionReason.AuthenticationMethodMismatch] = "Rfc8705ApplicationManager (self-signed vs CA-issued)",
        [RejectionReason.UntrustedForwardedCertificate] = "the certificate forwarding middleware",
        [RejectionReason.ProtocolRule] = "OpenIddict's own rules",
    };

    [Fact]
    public async Task A_sound_certificate_passes_every_check_in_order()
    {
        using var validator = new ValidatorUnderTest(_pki);
        using var certificate = _pki.IssueClient("CN=payments, O=Test Org");

        var report = await validator.ValidateIssuedAsync(certificate, Payments);

        Assert.True(report.IsValid, report.FirstFailure?.Detail);
        Assert.Equal(
            [ClientCertificateValidator.EncodingCheck, ClientCertificateValidator.ChainCheck, ClientCertificateValidator.AlgorithmsCheck,
             ClientCertificateValidator.ValidityCheck, ClientCertificateValidator.UsageCheck, ClientCertificateValidator.RevocationCheck,
             ClientCertificateValidator.IdentityCheck],
            report.Checks.Select(check => check.Name));
    }

    [Theory]
    [MemberData(nameof(IssuedCases))]
    public async Task Each_reason_is_reported_by_its_check_and_stops_there(string reason, string check)
    {
        using var validator = new ValidatorUnderTest(_pki);
        var (certificate, identity) = Arrange(reason, validator);

        var report = await validator.ValidateIssuedAsync(certificate, identity, runAllChecks: false, [.. _sent]);

        var failure = Assert.Single(report.Checks, c => !c.Passed);
        Assert.Equal(reason, failure.Reason?.Code());
        Assert.Equal(check, failure.Name);
        Assert.Same(failure, report.Checks[^1]); // the server stops at the first failure
        Assert.False(string.IsNullOrWhiteSpace(failure.Detail));
    }

    [Fact]
    public async Task A_ca_certificate_that_is_itself_an_anchor_is_not_an_end_entity()
    {
        using var validator = new ValidatorUnderTest(_pki);

        var report = await validator.ValidateIssuedAsync(_pki.Root.Certificate, Payments);

        Assert.Equal(RejectionReason.NotEndEntity, report.FirstFailure?.Reason);
        Assert.Equal(ClientCertificateValidator.ChainCheck, report.FirstFailure?.Name);
    }

    [Fact]
    public async Task Soft_fail_accepts_an_unknown_revocation_status_but_never_a_revoked_one()
    {
        using var validator = new ValidatorUnderTest(_pki, options => options.SoftFail = true);
        using var certificate = _pki.IssueClient("CN=payments, O=Test Org");

        validator.Revocation.Answer = RevocationCheckResult.Unknown("crl", "unreachable");
        var unknown = await validator.ValidateIssuedAsync(certificate, Payments);
        validator.Revocation.Answer = new RevocationCheckResult(RevocationStatus.Revoked, "crl", "serial listed");
        var revoked = await validator.ValidateIssuedAsync(certificate, Payments);

        Assert.True(unknown.IsValid);
        Assert.Equal(RejectionReason.CertificateRevoked, revoked.FirstFailure?.Reason);
    }

    [Fact]
    public async Task Clock_skew_accepts_a_certificate_just_past_its_end_and_refuses_it_one_tick_later()
    {
        using var validator = new ValidatorUnderTest(_pki);
        using var certificate = _pki.IssueClient("CN=payments, O=Test Org");
        var skew = new ClientCertificateOptions().ClockSkew;

        validator.Time.SetUtcNow(certificate.NotAfter.ToUniversalTime() + skew);
        var atEdge = await validator.ValidateIssuedAsync(certificate, Payments);
        validator.Time.Advance(TimeSpan.FromTicks(1));
        var pastEdge = await validator.ValidateIssuedAsync(certificate, Payments);

        Assert.True(atEdge.IsValid, atEdge.FirstFailure?.Detail);
        Assert.Equal(RejectionReason.CertificateExpired, pastEdge.FirstFailure?.Reason);
    }

    [Fact]
    public async Task Revocation_is_asked_for_the_client_and_its_intermediate_and_not_at_all_in_no_check_mode()
    {
        using var chain = new ValidatorUnderTest(_pki);
        using var endEntity = new ValidatorUnderTest(_pki, options => options.Scope = RevocationScope.EndEntity);
        using var off = new ValidatorUnderTest(_pki, options => options.Mode = RevocationMode.NoCheck);
        using var certificate = _pki.IssueClient("CN=payments, O=Test Org");

        await chain.ValidateIssuedAsync(certificate, Payments);
        await endEntity.ValidateIssuedAsync(certificate, Payments);
        await off.ValidateIssuedAsync(certificate, Payments);

        Assert.Equal((2, 1, 0), (chain.Revocation.Questions, endEntity.Revocation.Questions, off.Revocation.Questions));
    }

    [Fact]
    public async Task Diagnose_mode_reports_every_failing_check_not_only_the_first()
    {
        using var validator = new ValidatorUnderTest(_pki);
        using var certificate = _pki.IssueClient("CN=billing, O=Test Org");
        validator.Time.Advance(TimeSpan.FromDays(60));

        var report = await validator.ValidateIssuedAsync(certificate, Payments, runAllChecks: true);

        Assert.Equal(
            [RejectionReason.CertificateExpired, RejectionReason.IdentityMismatch],
            report.Checks.Where(check => !check.Passed).Select(check => check.Reason!.Value));
    }

    [Fact]
    public void Self_signed_certificates_not_registered_for_the_client_are_refused_by_the_registration_check()
    {
        using var validator = new ValidatorUnderTest(_pki);
        var (registered, _) = _pki.CreateSelfSigned("CN=self, O=Test Org", "registered.pem");
        var (other, _) = _pki.CreateSelfSigned("CN=self, O=Test Org", "other.pem");
        _owned.Add(registered);
        _owned.Add(other);
        byte[][] pins = [System.Security.Cryptography.SHA256.HashData(registered.RawData)];

        var accepted = validator.Validator.ValidateSelfSigned(registered, pins, runAllChecks: false);
        var refused = validator.Validator.ValidateSelfSigned(other, pins, runAllChecks: false);

        Assert.True(accepted.IsValid, accepted.FirstFailure?.Detail);
        Assert.Equal(RejectionReason.SelfSignedCertificateNotRegistered, refused.FirstFailure?.Reason);
        Assert.Equal(ClientCertificateValidator.RegistrationCheck, refused.FirstFailure?.Name);
    }

    [Fact]
    public void Every_reason_code_is_either_decided_by_the_validator_or_names_who_decides_it()
    {
        var validatorReasons = IssuedCases.Select(row => (string)row[0])
            .Append(RejectionReason.NotEndEntity.Code())
            .Append(RejectionReason.SelfSignedCertificateNotRegistered.Code())
            .ToHashSet(StringComparer.Ordinal);

        var uncovered = Enum.GetValues<RejectionReason>()
            .Where(reason => !validatorReasons.Contains(reason.Code()) && !DecidedElsewhere.ContainsKey(reason))
            .ToList();

        Assert.Empty(uncovered);
        Assert.DoesNotContain(Enum.GetValues<RejectionReason>(), reason => reason.Code() == "unknown");
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        _pki.Dispose();
    }

    private (X509Certificate2 Certificate, ClientIdentity? Identity) Arrange(string reason, ValidatorUnderTest validator)
    {
        const string Subject = "CN=payments, O=Test Org";
        var certificate = reason switch
        {
            "certificate_malformed" => NonDerCertificates.Issue(_pki, NonDerCertificates.LongFormLength(Subject)),
            "chain_untrusted" => Own(TestPki.Create()).IssueClient(Subject), // an impostor CA with identical names
            "chain_invalid" => IssueBelowPathLengthLimit(Subject),
            "certificate_weak" => Own(WeakCertificates.Mint(_pki, WeakCertificates.Rsa1024Leaf, Subject)).Leaf,
            "not_end_entity" => _pki.IssueClient(Subject, profile => profile with { MarkAsCertificateAuthority = true }),
            "key_usage_invalid" => _pki.IssueClient(Subject, profile => profile with { KeyUsage = X509KeyUsageFlags.KeyEncipherment }),
            "certificate_not_yet_valid" => _pki.IssueClient(Subject, profile => profile with { NotBefore = validator.Time.GetUtcNow().AddDays(2) }),
            "eku_invalid" => _pki.IssueClient(Subject, profile => profile with { ExtendedKeyUsages = [MtlsAuthServer.Pki.Oids.ServerAuthentication] }),
            _ => _pki.IssueClient(Subject),
        };
        _owned.Add(certificate);

        switch (reason)
        {
            case "certificate_expired":
                validator.Time.Advance(TimeSpan.FromDays(31));
                break;
            case "certificate_revoked":
                validator.Revocation.Answer = new RevocationCheckResult(RevocationStatus.Revoked, "crl", "serial listed");
                break;
            case "revocation_unknown":
                validator.Revocation.Answer = RevocationCheckResult.Unknown("crl", "unreachable");
                break;
        }

        return (certificate, reason == "identity_mismatch" ? new ClientIdentity(ClientIdentityKind.SubjectDn, "CN=billing,O=Test Org") : Payments);
    }

    /// <summary>The issuing CA has pathLength 0: a CA below it breaks the chain's basic constraints.</summary>
    private X509Certificate2 IssueBelowPathLengthLimit(string subject)
    {
        var subordinate = Own(_pki.Issuing.CreateSubordinate("CN=Too Deep CA, O=Test Org", TestPki.Now.AddDays(-1), TestPki.Now.AddDays(30)));
        _sent.Add(subordinate.Certificate); // the client sends it, as TLS clients send their intermediates
        return subordinate.Issue(MtlsAuthServer.Pki.CertificateProfile.ForClient(subject, TestPki.Now.AddDays(-1), TestPki.Now.AddDays(30)));
    }

    private T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }
}
