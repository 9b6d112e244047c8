using System.Net;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.TokenEndpoint;

/// <summary>
/// A resumed TLS session authenticates exactly like the full handshake it resumes (issue 12, item 6). The client
/// sends leaf + issuing CA and the server has no <c>TrustAnchors:IntermediatesPath</c>: the chain builds only with
/// what the client sent, which a resumed handshake does not carry again.
/// </summary>
public sealed class TlsResumptionSpecs : IDisposable
{
    private const string ClientId = "payments";

    private readonly TestPki _pki = TestPki.Create();
    private readonly TokenServerHost _host;

    public TlsResumptionSpecs()
    {
        _host = TokenServerHost.Start(_pki, settings =>
        {
            settings["TrustAnchors:IntermediatesPath"] = string.Empty;
            settings.AddTlsClient(ClientId, "tls_client_auth_subject_dn", "CN=payments,OU=Treasury,O=Test Org");
            settings.AddTlsClient("billing", "tls_client_auth_san_dns", "billing.example.com");
        });
    }

    [Theory]
    [InlineData("tls1_3", "TLSv1.3")]
    [InlineData("tls1_2", "TLSv1.2")]
    public async Task A_resumed_session_gets_a_token_like_the_full_handshake_before_it(string protocol, string expectedProtocol)
    {
        using var certificate = _pki.IssueClient("CN=payments, OU=Treasury, O=Test Org");
        using var openssl = new OpenSslTlsClient(_pki, certificate, _pki.Issuing.Certificate);

        var fresh = await openssl.RequestTokenAsync(_host.MtlsUri, protocol, ClientId, resume: false);
        var resumed = await openssl.RequestTokenAsync(_host.MtlsUri, protocol, ClientId, resume: true);

        Assert.False(fresh.Resumed, fresh.Output);
        Assert.True(fresh.Status == HttpStatusCode.OK, fresh.Output);
        AssertResumed(resumed, HttpStatusCode.OK);
        Assert.Equal(expectedProtocol, resumed.Protocol);
    }

    [Fact]
    public async Task A_later_handshake_with_the_same_leaf_and_other_or_no_intermediates_does_not_break_resumed_sessions()
    {
        using var certificate = _pki.IssueClient("CN=payments, OU=Treasury, O=Test Org");
        using var otherPki = TestPki.Create();
        using var legitimate = new OpenSslTlsClient(_pki, certificate, _pki.Issuing.Certificate);
        using var foreignChain = new OpenSslTlsClient(_pki, certificate, otherPki.Issuing.Certificate);
        using var leafOnly = new OpenSslTlsClient(_pki, certificate);
        Assert.Equal(HttpStatusCode.OK, (await legitimate.RequestTokenAsync(_host.MtlsUri, "tls1_3", ClientId, resume: false)).Status);

        // Same names, another CA: the chain builds to no anchor, so nothing of it is kept.
        var foreign = await foreignChain.RequestTokenAsync(_host.MtlsUri, "tls1_3", ClientId, resume: false);
        // The leaf alone in a full handshake: helped by what the leaf last authenticated with, replaces nothing.
        var alone = await leafOnly.RequestTokenAsync(_host.MtlsUri, "tls1_3", ClientId, resume: false);
        var resumed = await legitimate.RequestTokenAsync(_host.MtlsUri, "tls1_3", ClientId, resume: true);

        Assert.Equal(HttpStatusCode.Unauthorized, foreign.Status);
        Assert.Contains(_host.Logs.Rejections, e => e["Reason"] == "chain_untrusted");
        Assert.Equal(HttpStatusCode.OK, alone.Status);
        AssertResumed(resumed, HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_session_whose_first_request_was_refused_after_its_chain_built_still_resumes_like_a_fresh_one()
    {
        using var certificate = _pki.IssueClient("CN=payments, OU=Treasury, O=Test Org");
        using var openssl = new OpenSslTlsClient(_pki, certificate, _pki.Issuing.Certificate);

        var wrongClient = await openssl.RequestTokenAsync(_host.MtlsUri, "tls1_3", "billing", resume: false);
        var resumed = await openssl.RequestTokenAsync(_host.MtlsUri, "tls1_3", ClientId, resume: true);

        Assert.Equal(HttpStatusCode.Unauthorized, wrongClient.Status);
        Assert.Contains(_host.Logs.Rejections, e => e["Reason"] == "identity_mismatch");
        AssertResumed(resumed, HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_resumed_session_is_still_checked_like_a_fresh_one()
    {
        using var certificate = _pki.IssueClient("CN=payments, OU=Treasury, O=Test Org");
        using var openssl = new OpenSslTlsClient(_pki, certificate, _pki.Issuing.Certificate);
        Assert.Equal(HttpStatusCode.OK, (await openssl.RequestTokenAsync(_host.MtlsUri, "tls1_3", ClientId, resume: false)).Status);

        var resumed = await openssl.RequestTokenAsync(_host.MtlsUri, "tls1_3", "billing", resume: true);

        AssertResumed(resumed, HttpStatusCode.Unauthorized);
        Assert.Equal("identity_mismatch", _host.Logs.Rejections[^1]["Reason"]);
    }

    /// <summary>The connection really resumed (so the spec can't pass on a full handshake) and got <paramref name="status"/>.</summary>
    private void AssertResumed(TlsExchange resumed, HttpStatusCode status)
    {
        Assert.True(resumed.Resumed, "the connection must resume the earlier session:\n" + resumed.Output);
        Assert.True(resumed.Status == status, $"expected {status}:\n{resumed.Output}\n" + string.Join('\n', _host.Logs.Rejections.Select(e => e.Message)));
    }

    public void Dispose()
    {
        _host.Dispose();
        _pki.Dispose();
    }
}
