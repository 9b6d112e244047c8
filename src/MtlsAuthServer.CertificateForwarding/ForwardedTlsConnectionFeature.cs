using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http.Features;

namespace MtlsAuthServer.CertificateForwarding;

/// <summary>
/// The request's view of the TLS client certificate in Forwarded mode: the certificate a trusted proxy forwarded,
/// or none. Set per request (not per connection), so a kept-alive or HTTP/2 connection from the proxy carries each
/// request's own client. Everything that reads <c>HttpContext.Connection.GetClientCertificateAsync</c> — OpenIddict's
/// client authentication and token binding, OpenIddict validation's <c>cnf</c> check — sees this certificate.
/// </summary>
internal sealed class ForwardedTlsConnectionFeature(X509Certificate2? certificate) : ITlsConnectionFeature
{
    public X509Certificate2? ClientCertificate { get; set; } = certificate;

    public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult(ClientCertificate);
}
