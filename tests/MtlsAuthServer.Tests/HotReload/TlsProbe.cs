using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.HotReload;

/// <summary>Opens a fresh TLS connection and returns the certificate the server presented, after validating it.</summary>
public static class TlsProbe
{
    /// <summary>
    /// The server's certificate, accepted only if it chains to the test root and names <c>localhost</c>
    /// (the handshake fails otherwise: never "accept any").
    /// </summary>
    public static async Task<X509Certificate2> ServerCertificateAsync(Uri listener, TestPki pki)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, listener.Port);
        await using var tls = new SslStream(tcp.GetStream());
        var trust = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        trust.CustomTrustStore.Add(pki.Root.Certificate);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost", CertificateChainPolicy = trust }, timeout.Token);
        return X509CertificateLoader.LoadCertificate(tls.RemoteCertificate!.GetRawCertData());
    }

    public static async Task<string> ServerThumbprintAsync(Uri listener, TestPki pki)
    {
        using var certificate = await ServerCertificateAsync(listener, pki);
        return OAuth.Thumbprint(certificate);
    }
}
