using MtlsAuthServer.Tests.Infrastructure;
using MtlsAuthServer.Tests.Revocation.Hostile;

namespace MtlsAuthServer.Tests.Revocation.EndToEnd;

/// <summary>OCSP at the token endpoint, against a scripted responder on loopback: the OAuth answer, the logged reason, recovery.</summary>
public sealed class OcspTokenEndpointSpecs : IAsyncLifetime
{
    private ScriptedOcspResponder _responder = null!;
    private StaticHttpServer _crls = null!;
    private TestPki _pki = null!;
    private readonly AdjustableTimeProvider _clock = new();

    private DateTimeOffset Now => _clock.GetUtcNow();

    public async Task InitializeAsync()
    {
        _responder = await ScriptedOcspResponder.StartAsync();
        _crls = await StaticHttpServer.StartAsync();
        _pki = TestPki.Create(_crls.BaseUri, ocspUri: _responder.Uri);
        _crls.Serve("root.crl", _pki.RootCrl());
        _responder.Answer = _ => OcspAnswers.Good(_pki.Issuing.Certificate, Now);
    }

    public async Task DisposeAsync()
    {
        await _responder.DisposeAsync();
        await _crls.DisposeAsync();
        _pki.Dispose();
    }

    [Fact]
    public async Task A_good_answer_replayed_after_a_revoked_one_keeps_the_client_refused()
    {
        using var certificate = _pki.IssueClient(RevocationEndpoint.ClientSubject);
        _responder.Answer = _ => OcspAnswers.Good(_pki.Issuing.Certificate, Now) with { EchoNonce = false, ThisUpdate = Now.AddMinutes(-30) };
        using var host = StartHost();
        using var client = host.CreateMtlsClient(certificate);
        await RevocationEndpoint.AssertAcceptedAsync(client);
        var captured = _responder.LastResponseBody!;

        _responder.Answer = _ => OcspAnswers.Revoked(_pki.Issuing.Certificate, Now);
        _clock.Offset += TimeSpan.FromSeconds(61);
        using (var revoked = await client.RequestTokenAsync(RevocationEndpoint.ClientId, "api:read"))
        {
            await OAuth.AssertRejectedAsync(revoked, host.Logs, "certificate_revoked", certificate);
        }

        _responder.RawBody = captured;
        _clock.Offset += TimeSpan.FromSeconds(61);
        using var replayed = await client.RequestTokenAsync(RevocationEndpoint.ClientId, "api:read");

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, replayed.StatusCode);
        Assert.Equal("invalid_client", await replayed.ErrorAsync());
        Assert.Equal("certificate_revoked", host.Logs.Rejections[^1]["Reason"]);
        Assert.Single(host.Logs.WithEventId(4011), e => e["Kind"] == "ocsp");
    }

    [Fact]
    public async Task A_truncated_answer_is_revocation_unknown_and_the_client_is_accepted_once_the_responder_is_fixed()
    {
        using var certificate = _pki.IssueClient(RevocationEndpoint.ClientSubject);
        _responder.DeclaredContentLengthExtra = 200;
        using var host = StartHost();
        using var client = host.CreateMtlsClient(certificate);

        using (var refused = await client.RequestTokenAsync(RevocationEndpoint.ClientId, "api:read"))
        {
            await OAuth.AssertRejectedAsync(refused, host.Logs, "revocation_unknown", certificate);
        }

        _responder.DeclaredContentLengthExtra = null;
        _clock.Offset += TimeSpan.FromSeconds(11);
        await RevocationEndpoint.AssertAcceptedAsync(client);
    }

    private TokenServerHost StartHost() => TokenServerHost.Start(_pki, settings =>
    {
        settings.AddTlsClient(RevocationEndpoint.ClientId, "tls_client_auth_subject_dn", RevocationEndpoint.ClientSubject);
        settings["Revocation:Mode"] = "Online";
        settings["Revocation:FetchTimeout"] = "00:00:05"; // generous: a loaded CI machine must not turn a good fetch into "unknown"
        settings.TimeProvider = _clock;
    });
}
