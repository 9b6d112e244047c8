using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Tests.Proxy;

/// <summary>What proxies write into their forwarding headers, produced the way each proxy documents it.</summary>
public static class ForwardedHeaderValues
{
    public static string Pem(params X509Certificate2[] certificates) =>
        string.Concat(certificates.Select(certificate => certificate.ExportCertificatePem() + "\n"));

    /// <summary>nginx <c>$ssl_client_escaped_cert</c>: the PEM, percent-encoded as a URI component.</summary>
    public static string NginxEscaped(X509Certificate2 certificate) => Uri.EscapeDataString(Pem(certificate));

    /// <summary>RFC 9440 / RFC 8941 byte sequence of the DER.</summary>
    public static string ByteSequence(X509Certificate2 certificate) => ":" + Convert.ToBase64String(certificate.RawData) + ":";

    /// <summary>One Envoy XFCC element: By, Hash (hex SHA-256), quoted URL-encoded Cert and Chain (leaf first), Subject.</summary>
    public static string XfccElement(X509Certificate2 certificate, IEnumerable<X509Certificate2>? intermediates = null, string? hash = null)
    {
        var element = $"By=spiffe://cluster.local/ns/edge/sa/proxy;Hash={hash ?? Convert.ToHexStringLower(SHA256.HashData(certificate.RawData))}"
            + $";Cert=\"{Uri.EscapeDataString(Pem(certificate))}\"";
        if (intermediates is not null)
        {
            element += $";Chain=\"{Uri.EscapeDataString(Pem([certificate, .. intermediates]))}\"";
        }

        return element + $";Subject=\"{certificate.Subject.Replace("\"", "\\\"", StringComparison.Ordinal)}\";URI=;DNS=client.example.com";
    }
}
