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
        Assert.True(resumed.Resumed, "the second connection must resume the first one's session:\n" + resumed.Output);
        Assert.Equal(expectedProtocol, resumed.Protocol);
        Assert.True(resumed.Status == HttpStatusCode.OK, resumed.Output + string.Join('\n', _host.Logs.Rejections.Select(e => e.Message)));
    }

    public void Dispose()
    {
        _host.Dispose();
        _pki.Dispose();
    }
}
