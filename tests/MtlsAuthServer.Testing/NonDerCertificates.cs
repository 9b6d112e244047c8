using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Tests.Infrastructure;

/// <summary>
/// Client certificates, correctly signed by the test issuing CA, whose names are valid BER but not the DER that
/// RFC 5280 §4.1 requires. <see cref="CertificateRequest"/> copies a name's bytes as given, so the TBSCertificate
/// carries them unchanged and the signature covers them; OpenSSL parses and verifies such certificates.
/// </summary>
public static class NonDerCertificates
{
    /// <summary><c>SEQUENCE { SET { CN=…, OU=… } }</c>: a multi-valued RDN whose elements are not in DER (sorted) order.</summary>
    public static X500DistinguishedName UnsortedMultiValuedRdn(string commonName, string organizationalUnit)
    {
        var cn = Attribute("2.5.4.3", commonName);
        var ou = Attribute("2.5.4.11", organizationalUnit);
        // DER sorts SET OF elements by their encodings; write them the other way round.
        var (first, second) = cn.AsSpan().SequenceCompareTo(ou) < 0 ? (ou, cn) : (cn, ou);
        return new X500DistinguishedName(Tlv(0x30, Tlv(0x31, [.. first, .. second])));
    }

    /// <summary>The DER name <paramref name="dn"/> with the length of its first RDN in long form (<c>81 nn</c>), which DER forbids below 128.</summary>
    public static X500DistinguishedName LongFormLength(string dn)
    {
        var reader = new AsnReader(new X500DistinguishedName(dn).RawData, AsnEncodingRules.DER).ReadSequence();
        var rdns = new List<byte[]>();
        while (reader.HasData)
        {
            rdns.Add(reader.ReadEncodedValue().ToArray());
        }

        var firstContent = rdns[0].AsSpan(2).ToArray(); // short-form length of an RDN under 128 bytes
        rdns[0] = [0x31, 0x81, (byte)firstContent.Length, .. firstContent];
        return new X500DistinguishedName(Tlv(0x30, [.. rdns.SelectMany(rdn => rdn)]));
    }

    /// <summary>A client certificate for <paramref name="subject"/> (raw bytes kept), issued by the PKI's issuing CA under <paramref name="issuer"/> (its DER name unless given).</summary>
    public static X509Certificate2 Issue(TestPki pki, X500DistinguishedName subject, X500DistinguishedName? issuer = null, string? sanDns = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForEndEntity(critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(Oids.ClientAuthentication)], critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(pki.Issuing.Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        if (sanDns is not null)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(sanDns);
            request.CertificateExtensions.Add(san.Build());
        }

        using var issuingKey = pki.Issuing.Certificate.GetECDsaPrivateKey()!;
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = 0x01;
        using var certificate = request.Create(
            issuer ?? pki.Issuing.Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(issuingKey),
            TestPki.Now.AddDays(-1), TestPki.Now.AddDays(30), serial);
        return certificate.CopyWithPrivateKey(key);
    }

    private static byte[] Attribute(string oid, string value)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            writer.WriteCharacterString(UniversalTagNumber.UTF8String, value);
        }

        return writer.Encode();
    }

    private static byte[] Tlv(byte tag, byte[] content) => content.Length < 128
        ? [tag, (byte)content.Length, .. content]
        : throw new ArgumentException("only short names are built here", nameof(content));
}
