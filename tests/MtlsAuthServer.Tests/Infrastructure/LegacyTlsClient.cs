using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Tests.Infrastructure;

/// <summary>
/// A token request over real TLS from curl at OpenSSL security level 0 (its own OPENSSL_CONF): unlike .NET's client (which refuses to send an
/// RSA-1024, P-192, MD5- or SHA-1-signed certificate: "ee key too small", "ca md too weak"), it sends any certificate,
/// as an attacker's or a legacy client's stack would. So the server, not the client's defaults, is what gets tested.
/// </summary>
public static class LegacyTlsClient
{

    /// <summary>
    /// POSTs a client_credentials request for <paramref name="clientId"/> to the host's mTLS /token. Use
    /// <paramref name="tlsMax"/> <c>1.2</c> for an EC key off P-256/384/521: TLS 1.3 binds ECDSA signature schemes to
    /// those curves, so such a key can only sign a TLS 1.2 handshake (over TLS 1.3 OpenSSL sends no certificate at all).
    /// </summary>
    public static async Task<HttpResponseMessage> RequestTokenAsync(
        TokenServerHost host, string clientId, X509Certificate2 certificate, X509Certificate2[] intermediates, string tlsMax = "1.3")
    {
        var (exitCode, error, response) = await RunAsync(host.Pki, TokenRequest(host, clientId), certificate, intermediates, tlsMax);
        Assert.True(exitCode == 0, $"curl failed ({exitCode}): {error}");
        return response!;
    }

    /// <summary>GETs <paramref name="url"/> with <paramref name="token"/> as bearer token, presenting any certificate.</summary>
    public static async Task<HttpResponseMessage> GetWithBearerAsync(
        TestPki pki, Uri url, string token, X509Certificate2 certificate, X509Certificate2[] intermediates)
    {
        var (exitCode, error, response) = await RunAsync(pki, ["-H", "Authorization: Bearer " + token, url.AbsoluteUri], certificate, intermediates, "1.3");
        Assert.True(exitCode == 0, $"curl failed ({exitCode}): {error}");
        return response!;
    }

    private static string[] TokenRequest(TokenServerHost host, string clientId) =>
        ["-d", "grant_type=client_credentials", "-d", "client_id=" + clientId, new Uri(host.MtlsUri, "token").AbsoluteUri];

    /// <summary>The same request, expected to fail in the TLS handshake (curl exit 35); returns curl's error.</summary>
    public static async Task<string> HandshakeFailureAsync(
        TokenServerHost host, string clientId, X509Certificate2 certificate, X509Certificate2[] intermediates, string tlsMax = "1.3")
    {
        var (exitCode, error, response) = await RunAsync(host.Pki, TokenRequest(host, clientId), certificate, intermediates, tlsMax);
        using (response)
        {
            Assert.True(exitCode == 35, $"expected a failed handshake; curl exited {exitCode}, HTTP {(int?)response?.StatusCode}: {error}");
        }

        return error;
    }

    private static async Task<(int ExitCode, string Error, HttpResponseMessage? Response)> RunAsync(
        TestPki pki, string[] request, X509Certificate2 certificate, X509Certificate2[] intermediates, string tlsMax)
    {
        var folder = Directory.CreateTempSubdirectory("mtls-curl-").FullName;
        try
        {
            var certificatePath = Path.Combine(folder, "client.crt");
            var keyPath = Path.Combine(folder, "client.key");
            var bodyPath = Path.Combine(folder, "body.json");
            var headersPath = Path.Combine(folder, "headers.txt");
            PemFiles.WriteCertificates(certificatePath, [certificate, .. intermediates]);
            PemFiles.WritePrivateKey(keyPath, certificate);

            // Level 0 from the first certificate load on (curl applies --ciphers only after loading the certificate).
            var openSslConfig = Path.Combine(folder, "openssl.cnf");
            await File.WriteAllTextAsync(openSslConfig, """
                openssl_conf = init
                [init]
                ssl_conf = ssl
                [ssl]
                system_default = defaults
                [defaults]
                CipherString = DEFAULT:@SECLEVEL=0
                """);
            var start = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true, Environment = { ["OPENSSL_CONF"] = openSslConfig } };
            string[] arguments =
            [
                "-sS", "--max-time", "20", "--cacert", pki.TrustAnchorsPath,
                "--cert", certificatePath, "--key", keyPath, "-o", bodyPath, "-w", "%{http_code}",
                "--tls-max", tlsMax, "-D", headersPath, .. request,
            ];
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var curl = Process.Start(start)!;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var output = curl.StandardOutput.ReadToEndAsync(timeout.Token);
            var error = curl.StandardError.ReadToEndAsync(timeout.Token);
            await curl.WaitForExitAsync(timeout.Token);
            if (curl.ExitCode != 0)
            {
                return (curl.ExitCode, await error, null);
            }

            var response = new HttpResponseMessage((HttpStatusCode)int.Parse(await output, System.Globalization.CultureInfo.InvariantCulture))
            {
                Content = new StringContent(File.Exists(bodyPath) ? await File.ReadAllTextAsync(bodyPath) : string.Empty, Encoding.UTF8, "application/json"),
            };
            foreach (var line in await File.ReadAllLinesAsync(headersPath))
            {
                if (line.Split(':', 2) is [var name, var value] && name.Equals("WWW-Authenticate", StringComparison.OrdinalIgnoreCase))
                {
                    response.Headers.TryAddWithoutValidation(name, value.Trim());
                }
            }

            return (0, await error, response);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
