using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>
/// An OCSP CertID (RFC 6960 §4.1.1): which certificate a request asks about and a response answers for.
/// </summary>
/// <remarks>
/// We hash with SHA-256. The CertID hash only identifies the issuer (it is not a signature), so SHA-1 would be
/// safe too, but RFC 6960 allows any hash and OpenSSL's responder (3.x, <c>openssl ocsp -index</c>) answers
/// SHA-256 CertIDs by hashing its CA with the algorithm the request names. A responder that only knows SHA-1
/// answers "unknown" or no matching response, and the checker falls back to the CRL.
/// </remarks>
public sealed class OcspCertificateId
{
    /// <summary>id-sha256 (RFC 5754 §2.2).</summary>
    public const string Sha256 = "2.16.840.1.101.3.4.2.1";

    private readonly byte[] _issuerNameHash;
    private readonly byte[] _issuerKeyHash;
    private readonly byte[] _serialNumber;

    private OcspCertificateId(string hashAlgorithm, byte[] issuerNameHash, byte[] issuerKeyHash, byte[] serialNumber)
    {
        HashAlgorithm = hashAlgorithm;
        _issuerNameHash = issuerNameHash;
        _issuerKeyHash = issuerKeyHash;
        _serialNumber = serialNumber;
    }

    /// <summary>The OID of the hash over the issuer's name and key.</summary>
    public string HashAlgorithm { get; }

    public ReadOnlyMemory<byte> IssuerNameHash => _issuerNameHash;

    public ReadOnlyMemory<byte> IssuerKeyHash => _issuerKeyHash;

    /// <summary>The certificate's serial number, canonical upper-case hex.</summary>
    public string SerialNumber => SerialNumbers.Canonical(_serialNumber);

    /// <summary>The SHA-256 CertID of <paramref name="certificate"/> issued by <paramref name="issuer"/>.</summary>
    public static OcspCertificateId For(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        // RFC 6960 §4.1.1: issuerNameHash is over the DER of the issuer's name (OpenSSL hashes the CA's subject, which
        // a chain that built has byte-equal to the certificate's issuer field); issuerKeyHash is over the value of the
        // issuer's subjectPublicKey BIT STRING, without tag, length and unused-bits octet.
        var spki = new AsnReader(issuer.PublicKey.ExportSubjectPublicKeyInfo(), AsnEncodingRules.DER).ReadSequence();
        spki.ReadSequence();
        var publicKey = spki.ReadBitString(out _);

        var serial = certificate.SerialNumberBytes.ToArray();
        try
        {
            // Re-encode to prove the serial is a minimal DER INTEGER, which the byte comparison in Matches relies on.
            new AsnWriter(AsnEncodingRules.DER).WriteInteger(serial);
        }
        catch (ArgumentException exception)
        {
            throw new CryptographicException("The certificate's serial number is not a DER INTEGER.", exception);
        }

        return new OcspCertificateId(Sha256, SHA256.HashData(issuer.SubjectName.RawData), SHA256.HashData(publicKey), serial);
    }

    /// <summary>Reads a CertID SEQUENCE; the hash algorithm's parameters (absent or NULL, RFC 5754 §2) are skipped.</summary>
    internal static OcspCertificateId Read(AsnReader reader)
    {
        var id = reader.ReadSequence();
        var hashAlgorithm = SignatureVerifier.ReadAlgorithm(id);
        var nameHash = id.ReadOctetString();
        var keyHash = id.ReadOctetString();
        var serial = id.ReadIntegerBytes().ToArray();
        id.ThrowIfNotEmpty();
        return new OcspCertificateId(hashAlgorithm, nameHash, keyHash, serial);
    }

    internal void WriteTo(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            // RFC 5754 §2: SHA-2 AlgorithmIdentifiers are generated with absent parameters.
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(HashAlgorithm);
            }

            writer.WriteOctetString(_issuerNameHash);
            writer.WriteOctetString(_issuerKeyHash);
            writer.WriteInteger(_serialNumber);
        }
    }

    /// <summary>Same hash algorithm, issuer name hash, issuer key hash and serial number (RFC 6960 §4.2.2.3 step 1).</summary>
    public bool Matches(OcspCertificateId other) =>
        HashAlgorithm == other.HashAlgorithm
        && _issuerNameHash.AsSpan().SequenceEqual(other._issuerNameHash)
        && _issuerKeyHash.AsSpan().SequenceEqual(other._issuerKeyHash)
        && _serialNumber.AsSpan().SequenceEqual(other._serialNumber);
}
