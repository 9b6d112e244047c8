using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Tests.Infrastructure;

/// <summary>
/// An HttpClient whose TCP connections start from a chosen loopback address (any of 127.0.0.0/8 on Linux), so a test
/// can speak as the trusted proxy (e.g. 127.0.0.2) or as an untrusted sender (127.0.0.1) to the same host. TLS as in
/// <see cref="MtlsHttpClient"/>: the server is verified against the test root; the client may present a certificate.
/// </summary>
public static class SourceAddressHttpClient
{
    public static HttpClient Create(TestPki pki, IPAddress source, Uri baseAddress, X509Certificate2? clientCertificate = null)
    {
        var trust = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        trust.CustomTrustStore.Add(pki.Root.Certificate);
        trust.ExtraStore.Add(pki.Issuing.Certificate);
        var ssl = new SslClientAuthenticationOptions { CertificateChainPolicy = trust };
        if (clientCertificate is not null)
        {
            ssl.ClientCertificateContext = SslStreamCertificateContext.Create(clientCertificate, [], offline: true);
        }

        var handler = new SocketsHttpHandler
        {
            SslOptions = ssl,
            AllowAutoRedirect = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }
}
