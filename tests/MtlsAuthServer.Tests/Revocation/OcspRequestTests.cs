using System.Diagnostics;
using System.Formats.Asn1;
using System.Security.Cryptography;
using MtlsAuthServer.Certificates.Revocation;

namespace MtlsAuthServer.Tests.Revocation;

/// <summary>The DER OCSPRequest we send (RFC 6960 §4.1), read back by hand and by openssl.</summary>
public sealed class OcspRequestTests
{
    [Fact]
    public void Request_names_the_certificate_by_a_sha256_cert_id_and_carries_a_fresh_nonce()
    {
        using var pki = new OcspTestPki(new Uri("http://127.0.0.1:9/"));
        var client = pki.IssueGood("client");
        var issuer = pki.Issuing.Certificate;

        var first = OcspRequest.Create(client, issuer);
        var second = OcspRequest.Create(client, issuer);

        // OCSPRequest { TBSRequest { requestList { Request { CertID } }, [2] { Extensions { nonce } } } }
        var tbs = new AsnReader(first.Encode(), AsnEncodingRules.DER).ReadSequence().ReadSequence();
        var certId = tbs.ReadSequence().ReadSequence().ReadSequence();
        Assert.Equal(OcspCertificateId.Sha256, certId.ReadSequence().ReadObjectIdentifier());
        Assert.Equal(SHA256.HashData(issuer.SubjectName.RawData), certId.ReadOctetString());
        Assert.Equal(SHA256.HashData(issuer.PublicKey.EncodedKeyValue.RawData), certId.ReadOctetString());
        Assert.Equal(client.SerialNumberBytes.ToArray(), certId.ReadIntegerBytes().ToArray());

        var nonce = tbs.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 2)).ReadSequence().ReadSequence();
        Assert.Equal(OcspRequest.NonceOid, nonce.ReadObjectIdentifier());
        Assert.Equal(first.NonceExtensionValue.ToArray(), nonce.ReadOctetString());
        Assert.Equal(32, new AsnReader(first.NonceExtensionValue, AsnEncodingRules.DER).ReadOctetString().Length);
        Assert.NotEqual(first.NonceExtensionValue.ToArray(), second.NonceExtensionValue.ToArray());
        Assert.True(first.CertificateId.Matches(second.CertificateId));
    }

    [Fact]
    public async Task Openssl_reads_the_request_as_we_meant_it()
    {
        using var pki = new OcspTestPki(new Uri("http://127.0.0.1:9/"));
        var client = pki.IssueGood("client");
        var path = Path.Combine(pki.Folder, "request.der");
        await File.WriteAllBytesAsync(path, OcspRequest.Create(client, pki.Issuing.Certificate).Encode());

        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "ocsp", "-reqin", path, "-req_text" })
        {
            start.ArgumentList.Add(argument);
        }

        using var openssl = Process.Start(start)!;
        var errors = openssl.StandardError.ReadToEndAsync();
        var text = await openssl.StandardOutput.ReadToEndAsync();
        await openssl.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(openssl.ExitCode == 0, await errors);
        Assert.Contains("Hash Algorithm: sha256", text, StringComparison.Ordinal);
        Assert.Contains($"Serial Number: {client.SerialNumber}", text, StringComparison.Ordinal);
        Assert.Contains("OCSP Nonce", text, StringComparison.Ordinal);
    }
}
