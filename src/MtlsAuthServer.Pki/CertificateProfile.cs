using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Pki;

/// <summary>What an issued end-entity certificate says: its subject, SAN entries, validity, key and usages.</summary>
/// <remarks>The knobs past <see cref="ExtendedKeyUsages"/> exist so tests and the diagnose tool can mint the
/// certificates a server must refuse (CA flag on a leaf, missing usages) with the same code that mints good ones.</remarks>
public sealed record CertificateProfile
{
    public required string SubjectDn { get; init; }

    public IReadOnlyList<string> DnsNames { get; init; } = [];

    public IReadOnlyList<string> Uris { get; init; } = [];

    public IReadOnlyList<IPAddress> IpAddresses { get; init; } = [];

    public IReadOnlyList<string> Emails { get; init; } = [];

    public required DateTimeOffset NotBefore { get; init; }

    public required DateTimeOffset NotAfter { get; init; }

    public KeyAlgorithm KeyAlgorithm { get; init; } = KeyAlgorithm.EcdsaP256;

    /// <summary>Key usage bits; null omits the extension entirely.</summary>
    public X509KeyUsageFlags? KeyUsage { get; init; } = X509KeyUsageFlags.DigitalSignature;

    /// <summary>EKU OIDs; an empty list omits the extension entirely.</summary>
    public IReadOnlyList<string> ExtendedKeyUsages { get; init; } = [Oids.ClientAuthentication];

    /// <summary>Marks the certificate as a CA in basic constraints: never for real clients, only to test refusal.</summary>
    public bool MarkAsCertificateAuthority { get; init; }

    public static CertificateProfile ForClient(string subjectDn, DateTimeOffset notBefore, DateTimeOffset notAfter) => new()
    {
        SubjectDn = subjectDn,
        NotBefore = notBefore,
        NotAfter = notAfter,
    };

    public static CertificateProfile ForServer(
        string subjectDn, IReadOnlyList<string> dnsNames, IReadOnlyList<IPAddress> ipAddresses,
        DateTimeOffset notBefore, DateTimeOffset notAfter) => new()
    {
        SubjectDn = subjectDn,
        DnsNames = dnsNames,
        IpAddresses = ipAddresses,
        NotBefore = notBefore,
        NotAfter = notAfter,
        ExtendedKeyUsages = [Oids.ServerAuthentication],
    };
}
