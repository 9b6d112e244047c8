using System.Net.Security;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.ServiceDefaults.Hosting;

/// <summary>
/// The TLS identity served to new connections, pre-built once as an <see cref="SslStreamCertificateContext"/> (so the
/// chain isn't rebuilt per handshake), loaded on first use and swappable without a restart (the token server's hot reload).
/// </summary>
public sealed class ServerCertificateProvider(IOptions<ServerCertificateOptions> options)
{
    private readonly Lazy<SslStreamCertificateContext> _initial = new(() => CreateContext(options.Value.Load()));
    private SslStreamCertificateContext? _replacement;

    public SslStreamCertificateContext Current => Volatile.Read(ref _replacement) ?? _initial.Value;

    /// <summary>New handshakes get <paramref name="certificate"/>; the previous context is not disposed (handshakes in flight may use it).</summary>
    public void Replace(CertificateWithKey certificate) => Volatile.Write(ref _replacement, CreateContext(certificate));

    private static SslStreamCertificateContext CreateContext(CertificateWithKey certificate) =>
        SslStreamCertificateContext.Create(certificate.Leaf, certificate.Intermediates, offline: true);
}
