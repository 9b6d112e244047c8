using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Fapi2;

/// <summary>
/// The suite's endpoint TLS checks (EnsureTLS12RequireBCP195Ciphers, DisallowTLS10/11, EnsureTLS13PreferredOverTLS12,
/// RequireOnlyBCP195RecommendedCiphersForTLS12), made with <c>openssl s_client</c> as an independent client. The suite
/// fails a server whose ServerHello picks a suite it does not permit, so "refused" means no suite was agreed at all
/// (<c>Cipher is (NONE)</c>), not a connection closed after the handshake.
/// </summary>
public static class Fapi2TlsProbe
{
    /// <summary>FAPI 2.0 SP §5.2.2's TLS 1.2 suites, in OpenSSL's names.</summary>
    public const string PermittedTls12 = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384";

    public static async Task AssertTls12WithPermittedSuitesAsync(Uri endpoint, TestPki pki)
    {
        var output = await HandshakeAsync(endpoint, pki, "-tls1_2", "-cipher", PermittedTls12);
        Assert.Contains("New, TLSv1.2, Cipher is ECDHE-", output, StringComparison.Ordinal);
    }

    /// <summary>Every other TLS 1.2 suite OpenSSL knows (CBC, CHACHA20 on 1.2, RSA key exchange, ...), offered at once.</summary>
    public static async Task AssertOtherTls12SuitesRefusedAsync(Uri endpoint, TestPki pki)
    {
        var others = "ALL:" + string.Join(':', PermittedTls12.Split(':').Select(suite => "!" + suite)) + ":@SECLEVEL=0";
        var output = await HandshakeAsync(endpoint, pki, "-tls1_2", "-cipher", others);
        Assert.Contains("Cipher is (NONE)", output, StringComparison.Ordinal);
    }

    /// <summary>A client offering only <paramref name="protocol"/> (<c>tls1</c> or <c>tls1_1</c>) agrees on nothing.</summary>
    public static async Task AssertProtocolRefusedAsync(Uri endpoint, TestPki pki, string protocol)
    {
        var output = await HandshakeAsync(endpoint, pki, "-" + protocol, "-cipher", "ALL:@SECLEVEL=0");
        Assert.Contains("Cipher is (NONE)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("New, TLSv1,", output, StringComparison.Ordinal);
        Assert.DoesNotContain("New, TLSv1.1,", output, StringComparison.Ordinal);
    }

    /// <summary>A client offering TLS 1.3 and 1.2 gets TLS 1.3.</summary>
    public static async Task AssertTls13PreferredAsync(Uri endpoint, TestPki pki)
    {
        var output = await HandshakeAsync(endpoint, pki, "-no_ssl3", "-no_tls1", "-no_tls1_1");
        Assert.Contains("New, TLSv1.3, Cipher is TLS_", output, StringComparison.Ordinal);
    }

    private static Task<string> HandshakeAsync(Uri endpoint, TestPki pki, params string[] options) =>
        OpenSslTlsClient.RunAsync(
            ["s_client", "-connect", $"127.0.0.1:{endpoint.Port}", "-servername", "localhost", "-CAfile", pki.TrustAnchorsPath, "-ign_eof", .. options],
            $"GET {endpoint.AbsolutePath} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
}
