using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Certificates.Revocation;
using MtlsAuthServer.Pki;
using MtlsAuthServer.Tests.Infrastructure;
using MtlsAuthServer.Tests.Revocation.Hostile;

namespace MtlsAuthServer.Tests.Revocation;

/// <summary>
/// RFC 6960 §3.2 and §4.2.2 against a scripted responder over real HTTP: which signed answers are still not
/// believed (too old, without nextUpdate past the refresh bound, replayed after a newer one, unchecked delegated
/// responder, missing nonce when required) and that every broken answer is "unknown" and retried after the failure cache.
/// </summary>
public sealed class OcspTrustRuleSpecs : IAsyncLifetime, IDisposable
{
    private readonly RevocationServices _services = new();
    private ScriptedOcspResponder _responder = null!;
    private CertificateAuthority _root = null!;
    private CertificateAuthority _issuing = null!;
    private X509Certificate2 _client = null!;

    private DateTimeOffset Now => _services.Time.GetUtcNow();

    public async Task InitializeAsync()
    {
        _responder = await ScriptedOcspResponder.StartAsync();
        var now = DateTimeOffset.UtcNow;
        _root = CertificateAuthority.CreateRoot("CN=OCSP Rules Root, O=MtlsAuthServer Tests", now.AddDays(-1), now.AddDays(30));
        _issuing = _root.CreateSubordinate("CN=OCSP Rules Issuing CA, O=MtlsAuthServer Tests", now.AddDays(-1), now.AddDays(20),
            endpoints: new RevocationEndpoints(null, _responder.Uri));
        _client = _issuing.Issue(CertificateProfile.ForClient("CN=client, O=MtlsAuthServer Tests", now.AddDays(-1), now.AddDays(2)));
        _responder.Answer = _ => OcspAnswers.Good(_issuing.Certificate, Now);
    }

    public async Task DisposeAsync()
    {
        await _responder.DisposeAsync();
        _client.Dispose();
        _issuing.Dispose();
        _root.Dispose();
    }

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task A_year_old_good_answer_is_refused_whatever_its_next_update_says()
    {
        _responder.Answer = _ => OcspAnswers.Good(_issuing.Certificate, Now) with { ThisUpdate = Now.AddYears(-1), NextUpdate = Now.AddDays(1) };

        var result = await CheckAsync();

        Assert.Equal(RevocationStatus.Unknown, result.Status);
        Assert.Contains("older than Revocation:OcspMaxAge", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_within_the_max_age_is_believed_and_a_shorter_max_age_refuses_it()
    {
        _responder.Answer = _ => OcspAnswers.Good(_issuing.Certificate, Now) with { ThisUpdate = Now.AddDays(-2), NextUpdate = Now.AddDays(1) };
        var withinDefault = await CheckAsync();

        _services.Options.OcspMaxAge = TimeSpan.FromDays(1);
        _services.Time.Advance(TimeSpan.FromSeconds(31));
        var pastConfigured = await CheckAsync();

        Assert.Equal(RevocationStatus.Good, withinDefault.Status);
        Assert.Equal(RevocationStatus.Unknown, pastConfigured.Status);
    }

    [Fact]
    public async Task An_answer_without_next_update_is_reused_only_within_the_refresh_interval_and_never_while_the_responder_is_down()
    {
        _responder.Answer = _ => OcspAnswers.Good(_issuing.Certificate, Now) with { NextUpdate = null };
        var first = await CheckAsync();
        _responder.HttpStatus = 503;

        _services.Time.Advance(TimeSpan.FromSeconds(10));
        var withinRefresh = await CheckAsync();
        _services.Time.Advance(TimeSpan.FromSeconds(21));
        var afterRefresh = await CheckAsync();

        Assert.Equal(RevocationStatus.Good, first.Status);
        Assert.Equal(RevocationStatus.Good, withinRefresh.Status);
        Assert.Equal(RevocationStatus.Unknown, afterRefresh.Status);
        Assert.Contains("HTTP 503", afterRefresh.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_older_nonce_less_good_replayed_after_a_revoked_is_refused_as_a_rollback()
    {
        _responder.Answer = _ => OcspAnswers.Good(_issuing.Certificate, Now) with { EchoNonce = false, ThisUpdate = Now.AddMinutes(-10) };
        var good = await CheckAsync();
        var captured = _responder.LastResponseBody!;

        _responder.Answer = _ => OcspAnswers.Revoked(_issuing.Certificate, Now);
        _services.Time.Advance(TimeSpan.FromSeconds(31));
        var revoked = await CheckAsync();

        // An attacker on the path serves the captured "good": validly signed, current, no nonce to betray it.
        _responder.RawBody = captured;
        _services.Time.Advance(TimeSpan.FromSeconds(31));
        var replayed = await CheckAsync();

        Assert.Equal(RevocationStatus.Good, good.Status);
        Assert.Equal(RevocationStatus.Revoked, revoked.Status);
        Assert.Equal(RevocationStatus.Revoked, replayed.Status);
        var rollback = Assert.Single(_services.Logs.WithEventId(4011));
        Assert.Equal(_responder.Uri.AbsoluteUri, rollback["Source"]);
    }

    [Fact]
    public async Task A_replayed_answer_is_refused_even_once_the_newer_one_can_no_longer_be_used()
    {
        _responder.Answer = _ => OcspAnswers.Good(_issuing.Certificate, Now) with { EchoNonce = false, ThisUpdate = Now.AddMinutes(-10), NextUpdate = Now.AddDays(1) };
        await CheckAsync();
        var captured = _responder.LastResponseBody!;
        _responder.Answer = _ => OcspAnswers.Revoked(_issuing.Certificate, Now) with { NextUpdate = Now.AddSeconds(40) };
        _services.Time.Advance(TimeSpan.FromSeconds(31));
        await CheckAsync();

        _responder.RawBody = captured;
        _services.Time.Advance(TimeSpan.FromSeconds(60));
        var replayed = await CheckAsync();

        Assert.Equal(RevocationStatus.Unknown, replayed.Status);
        Assert.Contains("rollback", replayed.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_nonce_is_refused_when_nonces_are_required()
    {
        _services.Options.RequireOcspNonce = true;
        _responder.Answer = _ => OcspAnswers.Good(_issuing.Certificate, Now) with { EchoNonce = false };

        var required = await CheckAsync();

        Assert.Equal(RevocationStatus.Unknown, required.Status);
        Assert.Contains("does not echo our nonce", required.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_echoed_nonce_satisfies_the_requirement()
    {
        _services.Options.RequireOcspNonce = true;

        var result = await CheckAsync();

        Assert.Equal(RevocationStatus.Good, result.Status);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_honest_responder_id_by_key_or_by_name_is_accepted(bool byName)
    {
        _responder.Answer = _ => OcspAnswers.Good(_issuing.Certificate, Now) with { ResponderIdByName = byName };

        var result = await CheckAsync();

        Assert.Equal(RevocationStatus.Good, result.Status);
    }

    [Fact]
    public async Task A_delegated_responder_with_ocsp_nocheck_is_believed()
    {
        using var responder = Responder(noCheck: true);
        _responder.Answer = _ => OcspAnswers.Good(responder, Now) with { IncludedCertificates = [responder] };

        var result = await CheckAsync();

        Assert.Equal(RevocationStatus.Good, result.Status);
        Assert.Contains("signed by delegated responder", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delegated_responder_without_nocheck_or_a_crl_is_not_believed()
    {
        using var responder = Responder(noCheck: false);
        _responder.Answer = _ => OcspAnswers.Revoked(responder, Now) with { Status = OcspCertStatus.Good, IncludedCertificates = [responder] };

        var result = await CheckAsync();

        Assert.Equal(RevocationStatus.Unknown, result.Status);
        Assert.Contains("neither id-pkix-ocsp-nocheck nor a CRL distribution point", result.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, RevocationStatus.Good)]
    [InlineData(true, RevocationStatus.Unknown)]
    public async Task A_delegated_responder_without_nocheck_is_believed_only_while_its_crl_says_it_is_good(bool responderRevoked, RevocationStatus expected)
    {
        await using var crls = await StaticHttpServer.StartAsync();
        var crlUri = new Uri(crls.BaseUri, "issuing.crl");
        using var responder = Responder(noCheck: false, crlUri);
        crls.Serve("issuing.crl", TestCrlWriter.Write(new CrlSpec { Revoked = responderRevoked ? [CrlSpec.Entry(responder, Now.AddMinutes(-5))] : [] }, _issuing.Certificate));
        _responder.Answer = _ => OcspAnswers.Good(responder, Now) with { IncludedCertificates = [responder] };

        var result = await CheckAsync();

        Assert.Equal(expected, result.Status);
        if (responderRevoked)
        {
            Assert.Contains("delegated responder", result.Detail, StringComparison.Ordinal);
            Assert.Contains("is revoked", result.Detail, StringComparison.Ordinal);
        }
    }

    public static TheoryData<string> BrokenAnswers =>
        ["responder-id-of-another", "responder-name-of-another", "truncated-body", "truncated-der", "garbage", "wrong-content-type", "http-500", "try-later", "another-certificate", "future-this-update", "future-produced-at", "wrong-nonce", "unknown-critical-extension", "bad-signature"];

    [Theory]
    [MemberData(nameof(BrokenAnswers))]
    public async Task A_broken_answer_is_unknown_and_the_responder_is_asked_again_after_the_failure_cache(string kind)
    {
        Break(kind);
        var broken = await CheckAsync();
        var requestsWhileBroken = _responder.RequestCount;

        _services.Time.Advance(TimeSpan.FromSeconds(5));
        var withinFailureCache = await CheckAsync();
        Repair();
        _services.Time.Advance(TimeSpan.FromSeconds(6));
        var repaired = await CheckAsync();

        Assert.Equal(RevocationStatus.Unknown, broken.Status);
        Assert.Equal(RevocationStatus.Unknown, withinFailureCache.Status);
        Assert.Equal(requestsWhileBroken, _responder.RequestCount - 1);
        Assert.Equal(RevocationStatus.Good, repaired.Status);
        Assert.Single(_services.Logs.WithEventId(4010));
    }

    private void Break(string kind)
    {
        var good = OcspAnswers.Good(_issuing.Certificate, Now);
        switch (kind)
        {
            case "responder-id-of-another":
                _responder.Answer = _ => good with { ResponderIdNames = _root.Certificate };
                break;
            case "responder-name-of-another":
                _responder.Answer = _ => good with { ResponderIdNames = _root.Certificate, ResponderIdByName = true };
                break;
            case "truncated-body":
                _responder.DeclaredContentLengthExtra = 100;
                break;
            case "truncated-der":
                _responder.Answer = _ => good with { Truncate = true };
                break;
            case "garbage":
                _responder.RawBody = HostileBodies.Garbage(512, seed: 7);
                break;
            case "wrong-content-type":
                _responder.ContentType = "text/html";
                break;
            case "http-500":
                _responder.HttpStatus = 500;
                break;
            case "try-later":
                _responder.Answer = _ => OcspAnswers.Error(3);
                break;
            case "another-certificate":
                _responder.Answer = _ => good with { CertIdFromRequest = false };
                break;
            case "future-this-update":
                _responder.Answer = _ => good with { ThisUpdate = Now.AddHours(1), NextUpdate = Now.AddHours(2) };
                break;
            case "future-produced-at":
                _responder.Answer = _ => good with { ProducedAt = Now.AddHours(1) };
                break;
            case "wrong-nonce":
                _responder.Answer = _ => good with { NonceOverride = new byte[] { 4, 2, 1, 2 } };
                break;
            case "unknown-critical-extension":
                _responder.Answer = _ => good with { UnknownCriticalExtensionOid = "1.2.3.4" };
                break;
            default:
                _responder.Answer = _ => good with { CorruptSignature = true };
                break;
        }
    }

    private void Repair()
    {
        _responder.DeclaredContentLengthExtra = null;
        _responder.RawBody = null;
        _responder.ContentType = OcspResponse.MediaType;
        _responder.HttpStatus = 200;
        _responder.Answer = _ => OcspAnswers.Good(_issuing.Certificate, Now);
    }

    private X509Certificate2 Responder(bool noCheck, Uri? crlUri = null) =>
        HostileCertificates.DelegatedResponder(_issuing, noCheck, [Oids.OcspSigning], DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1), crlUri);

    private async Task<RevocationCheckResult> CheckAsync() =>
        await _services.Checker.CheckAsync(_client, _issuing.Certificate, CancellationToken.None);
}
