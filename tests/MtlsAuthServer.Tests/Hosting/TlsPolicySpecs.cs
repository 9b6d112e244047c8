using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Hosting;

/// <summary>
/// BCP 195 (RFC 9325 §4) on both TLS listeners, probed with <c>openssl s_client</c>: TLS 1.3 by default, TLS 1.2 only
/// with ECDHE + AEAD suites, and no configuration can enable anything below TLS 1.2.
/// </summary>
public sealed class TlsPolicySpecs(TlsPolicySpecs.Server server) : IClassFixture<TlsPolicySpecs.Server>
{
    public sealed class Server : IDisposable
    {
        public TestPki Pki { get; } = TestPki.Create();

        public TokenServerHost Host => _host ??= TokenServerHost.Start(Pki);

        private TokenServerHost? _host;

        public void Dispose()
        {
            _host?.Dispose();
            Pki.Dispose();
        }
    }

    public static TheoryData<string> Listeners => ["mtls", "public"];

    [Theory]
    [MemberData(nameof(Listeners))]
    public async Task Tls_1_3_is_negotiated_by_default(string listener)
    {
        var output = await SClientAsync(listener);

        Assert.Contains("New, TLSv1.3, Cipher is TLS_AES_", output, StringComparison.Ordinal);
        Assert.Contains("HTTP/1.1 200", output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Listeners))]
    public async Task Tls_1_2_with_ecdhe_and_aes_gcm_is_accepted(string listener)
    {
        var output = await SClientAsync(listener, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256");

        Assert.Contains("New, TLSv1.2, Cipher is ECDHE-ECDSA-AES128-GCM-SHA256", output, StringComparison.Ordinal);
        Assert.Contains("HTTP/1.1 200", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mtls", "AES128-SHA")] // RSA key exchange, CBC
    [InlineData("public", "AES128-SHA")]
    [InlineData("mtls", "ECDHE-ECDSA-AES128-SHA")] // ECDHE, but CBC + SHA-1 MAC: not AEAD
    [InlineData("mtls", "AES128-GCM-SHA256")] // AEAD, but no forward secrecy
    public async Task Tls_1_2_without_ecdhe_or_aead_fails_the_handshake(string listener, string cipher)
    {
        var output = await SClientAsync(listener, "-tls1_2", "-cipher", cipher + ":@SECLEVEL=0");

        // Either OpenSSL finds no shared suite (RSA key exchange against an ECDSA key), or the handshake settles on a
        // suite outside BCP 195 and the server closes the connection before reading the request: no answer either way.
        Assert.DoesNotContain("HTTP/1.1", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Tls11")]
    [InlineData("Tls")]
    [InlineData("Ssl3")]
    public void A_protocol_below_tls_1_2_refuses_to_start_naming_the_key(string protocol)
    {
        using var pki = TestPki.Create();

        var exception = Assert.ThrowsAny<Exception>(() => TokenServerHost.Start(pki, settings =>
        {
            settings["Listeners:TlsProtocols:0"] = "Tls12";
            settings["Listeners:TlsProtocols:1"] = protocol;
        }).Dispose());

        Assert.Contains("Listeners:TlsProtocols", exception.ToString(), StringComparison.Ordinal);
    }

    private Task<string> SClientAsync(string listener, params string[] options)
    {
        var uri = listener == "mtls" ? server.Host.MtlsUri : server.Host.PublicUri;
        // One request (served on both listeners without a certificate); the server closes the connection after answering.
        return OpenSslTlsClient.RunAsync(
            ["s_client", "-connect", $"127.0.0.1:{uri.Port}", "-CAfile", server.Pki.TrustAnchorsPath, "-ign_eof", .. options],
            "GET /.well-known/jwks HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    }
}
