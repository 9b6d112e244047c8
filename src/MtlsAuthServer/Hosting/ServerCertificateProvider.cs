using System.Net.Security;
using Microsoft.Extensions.Options;

namespace MtlsAuthServer.Hosting;

/// <summary>
/// The TLS identity served to new connections, pre-built once as an <see cref="SslStreamCertificateContext"/>
/// (so the chain isn't rebuilt per handshake) and swappable without a restart.
/// </summary>
public sealed class ServerCertificateProvider(IOptions<ServerCertificateOptions> options)
{
    private readonly Lazy<SslStreamCertificateContext> _initial = new(() => CreateContext(ServerCertificate.Load(options.Value)));
    private SslStreamCertificateContext? _replacement;

    public SslStreamCertificateContext Current => Volatile.Read(ref _replacement) ?? _initial.Value;

    public void Replace(ServerCertificate certificate) => Volatile.Write(ref _replacement, CreateContext(certificate));

    private static SslStreamCertificateContext CreateContext(ServerCertificate certificate) =>
        SslStreamCertificateContext.Create(certificate.Leaf, certificate.Intermediates, offline: true);
}
