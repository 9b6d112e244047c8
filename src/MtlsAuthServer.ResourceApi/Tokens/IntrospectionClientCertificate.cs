using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Pki;
using MtlsAuthServer.ServiceDefaults.Hosting;
using OpenIddict.Validation.SystemNetHttp;

namespace MtlsAuthServer.ResourceApi.Tokens;

/// <summary>
/// Presents this API's introspection certificate together with the intermediates stored in its file, so that a token
/// server holding only the root can build the chain (RFC 8705 §2.1.1: the server validates the presented chain).
/// OpenIddict attaches the certificate to <see cref="HttpClientHandler.ClientCertificates"/>, which cannot carry
/// intermediates: on Linux TLS then sends only those found in the OS stores. So, once every configuration action has
/// run, the primary handler of an OpenIddict client holding our certificate becomes a <see cref="SocketsHttpHandler"/>
/// whose <see cref="SslClientAuthenticationOptions.ClientCertificateContext"/> is leaf + intermediates (built offline),
/// with the settings OpenIddict put on the HttpClientHandler and the server check of <see cref="TokenServerTrust"/>.
/// </summary>
public sealed class IntrospectionClientCertificate : IHttpMessageHandlerBuilderFilter, IDisposable
{
    private static readonly string OpenIddictClientPrefix = typeof(OpenIddictValidationSystemNetHttpOptions).Assembly.GetName().Name!;

    private readonly X509Certificate2 _leaf;
    private readonly X509Certificate2Collection _intermediates;
    private readonly SslStreamCertificateContext _context;
    private readonly TokenServerTrust _serverTrust;

    /// <summary>Takes ownership of <paramref name="leaf"/> and <paramref name="intermediates"/>.</summary>
    public IntrospectionClientCertificate(X509Certificate2 leaf, X509Certificate2Collection intermediates, TokenServerTrust serverTrust)
    {
        _leaf = leaf;
        _intermediates = intermediates;
        _serverTrust = serverTrust;
        _context = SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
    }

    /// <summary>This API's client certificate, the one OpenIddict registers as signing credential for <c>tls_client_auth</c>.</summary>
    public X509Certificate2 Leaf => _leaf;

    /// <summary>Loads <c>TokenValidation:Introspection:Certificate</c> (validated at start-up by <see cref="TokenValidationFilesValidator"/>).</summary>
    public static IntrospectionClientCertificate Load(IServiceProvider services)
    {
        var (certificate, intermediates) = LoadFiles(services.GetRequiredService<IHostEnvironment>(),
            services.GetRequiredService<IOptions<TokenValidationOptions>>().Value.Introspection);
        return new IntrospectionClientCertificate(certificate, intermediates, services.GetRequiredService<TokenServerTrust>());
    }

    /// <summary>The certificate, its key and the intermediates in its file; throws naming the key.</summary>
    public static CertificateWithKey LoadFiles(IHostEnvironment environment, IntrospectionOptions introspection) =>
        CertificateWithKey.Load(ConfiguredPath.Resolve(environment, introspection.CertificatePath),
            ConfiguredPath.Resolve(environment, introspection.KeyPath), introspection.Password, TokenValidationFilesValidator.CertificateKey);

    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
    {
        next(builder);
        if (builder.Name is { } name && name.StartsWith(OpenIddictClientPrefix, StringComparison.Ordinal) &&
            builder.PrimaryHandler is HttpClientHandler handler && Holds(handler))
        {
            builder.PrimaryHandler = PresentingChain(handler);
            handler.Dispose();
        }
    };

    private bool Holds(HttpClientHandler handler) =>
        handler.ClientCertificates.OfType<X509Certificate2>().Any(c => c.RawDataMemory.Span.SequenceEqual(_leaf.RawDataMemory.Span));

    private SocketsHttpHandler PresentingChain(HttpClientHandler handler) => new()
    {
        AllowAutoRedirect = handler.AllowAutoRedirect,
        MaxAutomaticRedirections = handler.MaxAutomaticRedirections,
        AutomaticDecompression = handler.AutomaticDecompression,
        UseCookies = handler.UseCookies,
        UseProxy = handler.UseProxy,
        Proxy = handler.Proxy,
        MaxConnectionsPerServer = handler.MaxConnectionsPerServer,
        SslOptions = new SslClientAuthenticationOptions
        {
            EnabledSslProtocols = handler.SslProtocols,
            ClientCertificateContext = _context,
            // The same check as on every other token-server connection (custom root trust, host name).
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) => _serverTrust.IsTrusted(certificate as X509Certificate2, chain, errors),
        },
    };

    public void Dispose()
    {
        foreach (var intermediate in _intermediates)
        {
            intermediate.Dispose();
        }

        _leaf.Dispose();
    }
}
