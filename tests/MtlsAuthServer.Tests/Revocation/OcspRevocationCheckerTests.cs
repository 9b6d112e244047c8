using System.Diagnostics;
using System.Net.Sockets;
using System.Net;
using System.Numerics;
using MtlsAuthServer.Certificates.Revocation;
using MtlsAuthServer.Pki;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Revocation;

/// <summary>RevocationChecker in Online mode against a real <c>openssl ocsp</c> responder.</summary>
public sealed class OcspRevocationCheckerTests
{
    private static readonly Uri CrlUri = new("http://crl.example.test/issuing-ca.crl");

    [Fact]
    public async Task Certificate_the_responder_lists_as_valid_is_good()
    {
        using var pki = new OcspTestPki(LoopbackUri(FreePort.Next()));
        var client = pki.IssueGood("good-client");
        using var responder = await pki.StartResponderAsync();
        using var services = new RevocationServices();

        var result = await services.Checker.CheckAsync(client, pki.Issuing.Certificate, CancellationToken.None);

        Assert.Equal(RevocationStatus.Good, result.Status);
        Assert.Equal("ocsp", result.Source);
        Assert.Contains(pki.OcspUri.AbsoluteUri, result.Detail, StringComparison.Ordinal);
        Assert.Contains("signed by issuer", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Certificate_the_responder_lists_as_revoked_is_revoked()
    {
        using var pki = new OcspTestPki(LoopbackUri(FreePort.Next()));
        var client = pki.IssueRevoked("revoked-client");
        using var responder = await pki.StartResponderAsync();
        using var services = new RevocationServices();

        var result = await services.Checker.CheckAsync(client, pki.Issuing.Certificate, CancellationToken.None);
        var (response, _) = await services.Ocsp.GetAsync(pki.OcspUri, client, pki.Issuing.Certificate, CancellationToken.None);

        Assert.Equal(RevocationStatus.Revoked, result.Status);
        Assert.Equal("ocsp", result.Source);
        Assert.NotNull(response);
        Assert.Equal(pki.Now.AddHours(-1).ToUnixTimeSeconds(), response.RevokedAt?.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Certificate_the_responder_does_not_know_is_unknown_without_a_crl()
    {
        using var pki = new OcspTestPki(LoopbackUri(FreePort.Next()));
        var client = pki.IssueUnlisted("unlisted-client");
        using var responder = await pki.StartResponderAsync();
        using var services = new RevocationServices();

        var result = await services.Checker.CheckAsync(client, pki.Issuing.Certificate, CancellationToken.None);

        Assert.Equal(RevocationStatus.Unknown, result.Status);
        Assert.Equal("ocsp", result.Source);
        Assert.Contains("does not know the certificate", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Responder_that_is_down_gives_unknown_at_once()
    {
        using var pki = new OcspTestPki(LoopbackUri(FreePort.Next()));
        var client = pki.IssueGood("client");
        using var services = ServicesForARefusedConnection();

        var stopwatch = Stopwatch.StartNew();
        var result = await services.Checker.CheckAsync(client, pki.Issuing.Certificate, CancellationToken.None);
        stopwatch.Stop();

        Assert.Equal(RevocationStatus.Unknown, result.Status);
        // A refused connection, not a timeout: the detail names the error, and no timeout was waited for.
        Assert.Contains($"ocsp {pki.OcspUri}: ConnectionError", result.Detail, StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Responder_that_never_answers_gives_unknown_within_the_fetch_timeout()
    {
        // Accepts connections (the kernel completes them) but never reads or answers.
        var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        try
        {
            using var pki = new OcspTestPki(LoopbackUri(((IPEndPoint)silent.LocalEndpoint).Port));
            var client = pki.IssueGood("client");
            using var services = new RevocationServices();

            var stopwatch = Stopwatch.StartNew();
            var result = await services.Checker.CheckAsync(client, pki.Issuing.Certificate, CancellationToken.None);
            stopwatch.Stop();

            Assert.Equal(RevocationStatus.Unknown, result.Status);
            Assert.Contains("no answer within 1000 ms", result.Detail, StringComparison.Ordinal);
            Assert.InRange(stopwatch.Elapsed, services.Options.FetchTimeout * 0.9, services.Options.FetchTimeout + TimeSpan.FromSeconds(2));
        }
        finally
        {
            silent.Stop();
        }
    }

    [Fact]
    public async Task Responder_error_status_gives_unknown()
    {
        using var pki = new OcspTestPki(LoopbackUri(FreePort.Next()));
        var client = pki.IssueGood("client");
        using var services = new RevocationServices();
        services.Http.Serve(pki.OcspUri, Convert.FromHexString("30030a0106"), OcspResponse.MediaType);

        var result = await services.Checker.CheckAsync(client, pki.Issuing.Certificate, CancellationToken.None);

        Assert.Equal(RevocationStatus.Unknown, result.Status);
        Assert.Contains("The OCSP responder answered Unauthorized.", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answer_labelled_other_than_ocsp_response_gives_unknown()
    {
        using var pki = new OcspTestPki(LoopbackUri(FreePort.Next()));
        var client = pki.IssueGood("client");
        using var services = new RevocationServices();
        services.Http.Serve(pki.OcspUri, Convert.FromHexString("30030a0100"), "text/html");

        var result = await services.Checker.CheckAsync(client, pki.Issuing.Certificate, CancellationToken.None);

        Assert.Equal(RevocationStatus.Unknown, result.Status);
        Assert.Contains("content type 'text/html' is not application/ocsp-response", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Response_signed_by_another_ca_with_the_issuers_name_is_never_good()
    {
        using var pki = new OcspTestPki(LoopbackUri(FreePort.Next()));
        var client = pki.IssueGood("client");
        var impostor = pki.Own(CertificateAuthority.CreateRoot(OcspTestPki.IssuingCaSubject, pki.Now.AddMinutes(-10), pki.Now.AddDays(2)));
        using var responder = await pki.StartResponderAsync(pki.WriteSigner("impostor", impostor.Certificate));
        using var services = new RevocationServices();

        var result = await services.Checker.CheckAsync(client, pki.Issuing.Certificate, CancellationToken.None);

        Assert.Equal(RevocationStatus.Unknown, result.Status);
        Assert.Contains("which is not issued by the certificate's issuer", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Response_from_an_ocsp_signer_certified_by_another_ca_is_never_good()
    {
        using var pki = new OcspTestPki(LoopbackUri(FreePort.Next()));
        var client = pki.IssueGood("client");
        var otherCa = pki.Own(CertificateAuthority.CreateRoot(OcspTestPki.IssuingCaSubject, pki.Now.AddMinutes(-10), pki.Now.AddDays(2)));
        using var responder = await pki.StartResponderAsync(pki.WriteResponder("foreign-responder", otherCa, [Oids.OcspSigning]));
        using var services = new RevocationServices();

        var result = await services.Checker.CheckAsync(client, pki.Issuing.Certificate, CancellationToken.None);

        Assert.Equal(RevocationStatus.Unknown, result.Status);
        Assert.Contains("'CN=foreign-responder, O=MtlsAuthServer Tests', which is not issued by the certificate's issuer", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delegated_responder_with_the_ocsp_signing_usage_is_trusted()
    {
        using var pki = new OcspTestPki(LoopbackUri(FreePort.Next()));
        var good = pki.IssueGood("good-client");
        var revoked = pki.IssueRevoked("revoked-client");
        // id-pkix-ocsp-nocheck: the CA vouches for its responder, so its own status needs no check (RFC 6960 §4.2.2.2.1).
        var delegated = pki.Own(Hostile.HostileCertificates.DelegatedResponder(
            pki.Issuing, withOcspNoCheck: true, [Oids.OcspSigning], pki.Now.AddMinutes(-10), pki.Now.AddDays(2)));
        using var responder = await pki.StartResponderAsync(pki.WriteSigner("delegated-responder", delegated));
        using var services = new RevocationServices();

        var goodResult = await services.Checker.CheckAsync(good, pki.Issuing.Certificate, CancellationToken.None);
        var revokedResult = await services.Checker.CheckAsync(revoked, pki.Issuing.Certificate, CancellationToken.None);

        Assert.Equal(RevocationStatus.Good, goodResult.Status);
        Assert.Contains($"signed by delegated responder '{delegated.Subject}'", goodResult.Detail, StringComparison.Ordinal);
        Assert.Equal(RevocationStatus.Revoked, revokedResult.Status);
    }

    [Fact]
    public async Task Delegated_responder_without_the_ocsp_signing_usage_is_not_trusted()
    {
        using var pki = new OcspTestPki(LoopbackUri(FreePort.Next()));
        var client = pki.IssueGood("client");
        using var responder = await pki.StartResponderAsync(pki.WriteResponder("client-as-responder", pki.Issuing, [Oids.ClientAuthentication]));
        using var services = new RevocationServices();

        var result = await services.Checker.CheckAsync(client, pki.Issuing.Certificate, CancellationToken.None);

        Assert.Equal(RevocationStatus.Unknown, result.Status);
        Assert.Contains("lacks the id-kp-OCSPSigning extended key usage", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_responder_falls_back_to_the_crl_that_says_revoked()
    {
        using var pki = new OcspTestPki(LoopbackUri(FreePort.Next()), CrlUri);
        var client = pki.IssueGood("client");
        using var services = new RevocationServices();
        services.Http.Serve(CrlUri, CrlRevoking(pki, client), "application/pkix-crl");

        var result = await services.Checker.CheckAsync(client, pki.Issuing.Certificate, CancellationToken.None);

        Assert.Equal(RevocationStatus.Revoked, result.Status);
        Assert.Equal("crl", result.Source);
        Assert.Equal(1, services.Http.RequestsTo(pki.OcspUri));
    }

    [Fact]
    public async Task Unknown_from_the_responder_falls_back_to_the_crl_that_says_revoked()
    {
        using var pki = new OcspTestPki(LoopbackUri(FreePort.Next()), CrlUri);
        var client = pki.IssueUnlisted("unlisted-client");
        using var responder = await pki.StartResponderAsync();
        using var services = new RevocationServices();
        services.Http.Serve(CrlUri, CrlRevoking(pki, client), "application/pkix-crl");

        var result = await services.Checker.CheckAsync(client, pki.Issuing.Certificate, CancellationToken.None);

        Assert.Equal(RevocationStatus.Revoked, result.Status);
        Assert.Equal("crl", result.Source);
        Assert.Equal(1, services.Http.RequestsTo(pki.OcspUri));
    }

    [Fact]
    public async Task Good_from_the_responder_is_final_even_if_the_crl_disagrees()
    {
        using var pki = new OcspTestPki(LoopbackUri(FreePort.Next()), CrlUri);
        var client = pki.IssueGood("client");
        using var responder = await pki.StartResponderAsync();
        using var services = new RevocationServices();
        services.Http.Serve(CrlUri, CrlRevoking(pki, client), "application/pkix-crl");

        var result = await services.Checker.CheckAsync(client, pki.Issuing.Certificate, CancellationToken.None);

        Assert.Equal(RevocationStatus.Good, result.Status);
        Assert.Equal("ocsp", result.Source);
        Assert.Equal(0, services.Http.RequestsTo(CrlUri));
    }

    [Fact]
    public async Task Unreachable_responder_and_crl_give_unknown_with_both_reasons()
    {
        using var pki = new OcspTestPki(LoopbackUri(FreePort.Next()), CrlUri);
        var client = pki.IssueGood("client");
        using var services = ServicesForARefusedConnection();
        services.Http.NotFound(CrlUri);

        var result = await services.Checker.CheckAsync(client, pki.Issuing.Certificate, CancellationToken.None);

        Assert.Equal(RevocationStatus.Unknown, result.Status);
        Assert.Equal("ocsp+crl", result.Source);
        Assert.Contains($"ocsp {pki.OcspUri}: ConnectionError", result.Detail, StringComparison.Ordinal);
        Assert.Contains($"crl {CrlUri}: HTTP 404", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answer_is_reused_within_the_refresh_interval_without_asking_the_responder()
    {
        using var pki = new OcspTestPki(LoopbackUri(FreePort.Next()));
        var client = pki.IssueGood("client");
        using var responder = await pki.StartResponderAsync();
        using var services = new RevocationServices();

        var first = await services.Checker.CheckAsync(client, pki.Issuing.Certificate, CancellationToken.None);
        responder.Stop();
        services.Time.Advance(services.Options.RefreshInterval - TimeSpan.FromSeconds(1));
        var second = await services.Checker.CheckAsync(client, pki.Issuing.Certificate, CancellationToken.None);

        Assert.Equal(RevocationStatus.Good, first.Status);
        Assert.Contains("fetched", first.Detail, StringComparison.Ordinal);
        Assert.Equal(RevocationStatus.Good, second.Status);
        Assert.Contains("cached", second.Detail, StringComparison.Ordinal);
        Assert.Equal(1, services.Http.RequestsTo(pki.OcspUri));
    }

    [Fact]
    public async Task Last_good_answer_outlives_a_responder_outage_until_its_next_update_only()
    {
        using var pki = new OcspTestPki(LoopbackUri(FreePort.Next()));
        var client = pki.IssueGood("client");
        using var responder = await pki.StartResponderAsync();
        using var services = new RevocationServices();

        await services.Checker.CheckAsync(client, pki.Issuing.Certificate, CancellationToken.None);
        responder.Stop();

        // Past the refresh interval (30 s) but before the response's nextUpdate (openssl -nmin 1: one minute).
        services.Time.Advance(TimeSpan.FromSeconds(35));
        var duringOutage = await services.Checker.CheckAsync(client, pki.Issuing.Certificate, CancellationToken.None);

        // Past nextUpdate, and past the failure cache (10 s) so the responder is asked again.
        services.Time.Advance(TimeSpan.FromSeconds(40));
        var afterNextUpdate = await services.Checker.CheckAsync(client, pki.Issuing.Certificate, CancellationToken.None);

        Assert.Equal(RevocationStatus.Good, duringOutage.Status);
        Assert.Contains("using the last OCSP answer after a failed refresh (ConnectionError)", duringOutage.Detail, StringComparison.Ordinal);
        Assert.Equal(RevocationStatus.Unknown, afterNextUpdate.Status);
        Assert.Equal(3, services.Http.RequestsTo(pki.OcspUri));
    }

    [Fact]
    public async Task Concurrent_checks_share_one_request_to_the_responder()
    {
        using var pki = new OcspTestPki(LoopbackUri(FreePort.Next()));
        var client = pki.IssueGood("client");
        using var responder = await pki.StartResponderAsync();
        using var services = new RevocationServices();

        var results = await Task.WhenAll(Enumerable.Range(0, 16)
            .Select(_ => services.Checker.CheckAsync(client, pki.Issuing.Certificate, CancellationToken.None).AsTask()));

        Assert.All(results, result => Assert.Equal(RevocationStatus.Good, result.Status));
        Assert.Equal(1, services.Http.RequestsTo(pki.OcspUri));
    }

    [Fact]
    public async Task Failed_request_is_remembered_for_the_failure_cache_duration()
    {
        using var pki = new OcspTestPki(LoopbackUri(FreePort.Next()));
        var client = pki.IssueGood("client");
        using var services = ServicesForARefusedConnection();

        await services.Checker.CheckAsync(client, pki.Issuing.Certificate, CancellationToken.None);
        services.Time.Advance(services.Options.FailureCacheDuration - TimeSpan.FromSeconds(1));
        var remembered = await services.Checker.CheckAsync(client, pki.Issuing.Certificate, CancellationToken.None);
        var requestsWhileRemembered = services.Http.RequestsTo(pki.OcspUri);
        services.Time.Advance(TimeSpan.FromSeconds(2));
        await services.Checker.CheckAsync(client, pki.Issuing.Certificate, CancellationToken.None);

        Assert.Equal(RevocationStatus.Unknown, remembered.Status);
        Assert.Contains("ConnectionError", remembered.Detail, StringComparison.Ordinal);
        Assert.Equal(1, requestsWhileRemembered);
        Assert.Equal(2, services.Http.RequestsTo(pki.OcspUri));
    }

    private static Uri LoopbackUri(int port) => new($"http://127.0.0.1:{port}/");

    private static byte[] CrlRevoking(OcspTestPki pki, System.Security.Cryptography.X509Certificates.X509Certificate2 client) =>
        pki.Issuing.CreateCrl([RevokedCertificate.For(client, pki.Now.AddHours(-1))], BigInteger.One, pki.Now.AddMinutes(-1), pki.Now.AddDays(1));

    // A timeout far longer than a refusal takes, so that on a loaded machine (a process's first connection is slow to
    // set up) the refusal still comes first and the detail names it; "at once" is then well inside the timeout.
    private static RevocationServices ServicesForARefusedConnection()
    {
        var services = new RevocationServices();
        services.Options.FetchTimeout = TimeSpan.FromSeconds(20);
        return services;
    }
}
