using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace MtlsAuthServer.CertificateForwarding.Parsing;

/// <summary>
/// Envoy <c>x-forwarded-client-cert</c>. Envoy appends one element per hop (<c>forward_client_cert_details:
/// APPEND_FORWARD</c>) or replaces the header with its own (<c>SANITIZE_SET</c>, the right setting at the edge).
/// Only the <b>last</b> element is read: it is the one the trusted proxy itself wrote about the client of its
/// connection; earlier elements came from upstream of that proxy and are not believed. The header repeated as two
/// field lines is refused (which one is last would depend on the intermediaries).
/// <para><c>Cert=</c> (URL-encoded PEM) is the certificate; <c>Chain=</c> (URL-encoded PEM, leaf first) gives the
/// intermediates. <c>Hash=</c> is the hex SHA-256 of the DER: it is only cross-checked against <c>Cert=</c> and is never
/// used as a thumbprint (<c>x5t#S256</c> is base64url, and the application computes it from the certificate).
/// <c>By=</c>, <c>Subject=</c>, <c>URI=</c>, <c>DNS=</c> are ignored: identity comes from the certificate itself.</para>
/// </summary>
internal sealed class EnvoyXfccParser(string headerName, ForwardedHeaderLimits limits) : IForwardedCertificateParser
{
    public IReadOnlyList<string> HeaderNames { get; } = [headerName];

    public ForwardedCertificateParseResult Parse(IHeaderDictionary headers)
    {
        var values = ForwardedHeader.Read(headers, headerName);
        if (values.Count == 0)
        {
            return ForwardedCertificateParseResult.Absent;
        }

        if ((ForwardedHeader.CheckLength(values, headerName, limits.MaxHeaderLength) ?? ForwardedHeader.CheckSingle(values, headerName)) is { } refused)
        {
            return refused;
        }

        if (XfccElements.TryRead(values[0]!) is not { } elements)
        {
            return Invalid(ForwardedHeaderProblem.InvalidSyntax, "is not a list of Key=Value;... elements");
        }

        string? cert = null, chain = null, hash = null;
        foreach (var (key, value) in elements[^1])
        {
            switch (key.ToUpperInvariant())
            {
                case "CERT" when cert is null:
                    cert = value;
                    break;
                case "CHAIN" when chain is null:
                    chain = value;
                    break;
                case "HASH" when hash is null:
                    hash = value;
                    break;
                case "CERT" or "CHAIN" or "HASH":
                    return Invalid(ForwardedHeaderProblem.InvalidSyntax, $"the last element repeats {key}=");
            }
        }

        if (string.IsNullOrEmpty(cert))
        {
            return Invalid(ForwardedHeaderProblem.MissingCertificate,
                "the last element has no Cert= (enable the cert detail in Envoy's set_current_client_cert_details; Hash= alone is not a certificate)");
        }

        return Load(cert, chain, hash);
    }

    private ForwardedCertificateParseResult Load(string cert, string? chain, string? hash)
    {
        var leafBlobs = new List<byte[]>(1);
        var problem = EscapedPem.TryDecode(cert, maxCertificates: 1, leafBlobs, out var detail);
        if (problem != ForwardedHeaderProblem.None)
        {
            return Invalid(problem, "Cert=: " + detail);
        }

        var leafDer = leafBlobs[0];
        if (hash is not null && !HashMatches(hash, leafDer))
        {
            return Invalid(ForwardedHeaderProblem.HashMismatch, "Hash= is not the SHA-256 of Cert=");
        }

        var chainBlobs = new List<byte[]>();
        if (!string.IsNullOrEmpty(chain))
        {
            // Envoy's Chain= starts with the leaf: allow one more than the intermediates limit, then drop the leaf.
            problem = EscapedPem.TryDecode(chain, limits.MaxChainCertificates + 1, chainBlobs, out detail);
            if (problem != ForwardedHeaderProblem.None)
            {
                return Invalid(problem, "Chain=: " + detail);
            }

            chainBlobs.RemoveAll(blob => blob.AsSpan().SequenceEqual(leafDer));
            if (chainBlobs.Count > limits.MaxChainCertificates)
            {
                return Invalid(ForwardedHeaderProblem.ChainTooLong, $"Chain= holds more than {limits.MaxChainCertificates} intermediates");
            }
        }

        if (DerCertificate.TryLoad(leafDer) is not { } certificate)
        {
            return Invalid(ForwardedHeaderProblem.InvalidCertificate, "Cert= is not a DER X.509 certificate");
        }

        if (DerCertificate.TryLoadAll(chainBlobs) is not { } intermediates)
        {
            certificate.Dispose();
            return Invalid(ForwardedHeaderProblem.InvalidCertificate, "Chain= holds a block that is not a DER X.509 certificate");
        }

        return ForwardedCertificateParseResult.Parsed(certificate, intermediates);
    }

    /// <summary>Envoy's Hash= is lowercase hex of SHA-256(DER); compared case-insensitively, as a consistency check only.</summary>
    private static bool HashMatches(string hash, byte[] der) =>
        hash.Length == 64 && string.Equals(hash, Convert.ToHexString(SHA256.HashData(der)), StringComparison.OrdinalIgnoreCase);

    private ForwardedCertificateParseResult Invalid(ForwardedHeaderProblem problem, string detail) =>
        ForwardedCertificateParseResult.Invalid(problem, $"{headerName}: {detail}");
}
