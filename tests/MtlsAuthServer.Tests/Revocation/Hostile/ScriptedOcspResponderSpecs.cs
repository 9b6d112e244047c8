using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Certificates.Revocation;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Tests.Revocation.Hostile;

/// <summary>The scripted responder's own checks: its honest answers are ones the production parser and openssl accept.</summary>
public sealed class ScriptedOcspResponderSpecs : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private readonly CertificateAuthority _issuer = CertificateAuthority.CreateRoot("CN=Hostile OCSP CA, O=MtlsAuthServer Tests", Now.AddDays(-1), Now.AddDays(30));
    private readonly X509Certificate2 _leaf;
    private readonly HttpClient _http = new();

    public ScriptedOcspResponderSpecs() =>
        _leaf = _issuer.Issue(CertificateProfile.ForClient("CN=client, O=MtlsAuthServer Tests", Now.AddDays(-1), Now.AddDays(1)));

    [Fact]
    public async Task Good_answer_signed_by_the_issuer_verifies_and_echoes_the_nonce()
    {
        await using var responder = await ScriptedOcspResponder.StartAsync();
        responder.Answer = _ => OcspAnswers.Good(_issuer.Certificate, Now);
        var request = OcspRequest.Create(OcspCertificateId.For(_leaf, _issuer.Certificate));

        var response = OcspResponse.Parse(await PostAsync(responder, request), request, _issuer.Certificate, Now);

        Assert.Equal(RevocationStatus.Good, response.Status);
        Assert.Equal("issuer", response.Signer);
        Assert.True(response.NonceEchoed);
        Assert.Equal(1, responder.RequestCount);
    }

    [Fact]
    public async Task Revoked_answer_from_a_delegated_responder_verifies()
    {
        using var delegated = HostileCertificates.DelegatedResponder(_issuer, withOcspNoCheck: true, [Oids.OcspSigning], Now.AddHours(-1), Now.AddDays(1));
        await using var responder = await ScriptedOcspResponder.StartAsync();
        OcspQuery? asked = null;
        responder.Answer = query =>
        {
            asked = query;
            return OcspAnswers.Revoked(delegated, Now, Now.AddHours(-2)) with { IncludedCertificates = [delegated] };
        };
        var request = OcspRequest.Create(OcspCertificateId.For(_leaf, _issuer.Certificate));

        var response = OcspResponse.Parse(await PostAsync(responder, request), request, _issuer.Certificate, Now);

        Assert.Equal(RevocationStatus.Revoked, response.Status);
        Assert.Equal(Now.AddHours(-2).ToUnixTimeSeconds(), response.RevokedAt!.Value.ToUnixTimeSeconds());
        Assert.StartsWith("delegated responder", response.Signer, StringComparison.Ordinal);
        Assert.Equal(_leaf.SerialNumberBytes.ToArray(), asked!.SerialNumber.ToArray());
        Assert.Equal(request.NonceExtensionValue.ToArray(), asked.Nonce!.Value.ToArray());
    }

    /// <summary>The hostile knobs bite where they should: each breaks exactly the check it is named for.</summary>
    [Fact]
    public async Task Replayed_foreign_and_forged_answers_are_refused_by_the_production_parser()
    {
        await using var responder = await ScriptedOcspResponder.StartAsync();
        responder.Answer = _ => OcspAnswers.Good(_issuer.Certificate, Now);
        var first = OcspRequest.Create(_leaf, _issuer.Certificate);
        await PostAsync(responder, first);
        responder.RawBody = responder.LastResponseBody;
        var second = OcspRequest.Create(_leaf, _issuer.Certificate);

        var replayed = await PostAsync(responder, second);
        responder.RawBody = null;
        responder.Answer = _ => OcspAnswers.Good(_issuer.Certificate, Now) with { CertIdFromRequest = false };
        var aboutAnother = await PostAsync(responder, second);
        responder.Answer = _ => OcspAnswers.Good(_issuer.Certificate, Now) with { CorruptSignature = true };
        var badlySigned = await PostAsync(responder, second);

        var replay = Assert.Throws<CryptographicException>(() => OcspResponse.Parse(replayed, second, _issuer.Certificate, Now));
        var foreign = Assert.Throws<CryptographicException>(() => OcspResponse.Parse(aboutAnother, second, _issuer.Certificate, Now));
        var forged = Assert.Throws<CryptographicException>(() => OcspResponse.Parse(badlySigned, second, _issuer.Certificate, Now));
        Assert.Contains("nonce", replay.Message, StringComparison.Ordinal);
        Assert.Contains("does not answer for the requested certificate", foreign.Message, StringComparison.Ordinal);
        Assert.Contains("signature", forged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Openssl_reads_a_produced_response()
    {
        await using var responder = await ScriptedOcspResponder.StartAsync();
        responder.Answer = _ => OcspAnswers.Revoked(_issuer.Certificate, Now) with { RevocationReason = X509RevocationReason.KeyCompromise };
        var request = OcspRequest.Create(_leaf, _issuer.Certificate);

        var text = await OpenSslText.RunAsync(await PostAsync(responder, request), "ocsp", "-respin", "{0}", "-resp_text", "-noverify");

        Assert.Contains("Response Status: successful (0x0)", text, StringComparison.Ordinal);
        Assert.Contains("Responder Id: ", text, StringComparison.Ordinal);
        Assert.Contains($"Serial Number: {_leaf.SerialNumber}", text, StringComparison.Ordinal);
        Assert.Contains("Cert Status: revoked", text, StringComparison.Ordinal);
        Assert.Contains("Revocation Reason: keyCompromise", text, StringComparison.Ordinal);
        Assert.Contains("OCSP Nonce", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_request_in_the_path_is_answered_and_an_over_declared_length_cuts_the_body()
    {
        await using var responder = await ScriptedOcspResponder.StartAsync();
        responder.Answer = _ => OcspAnswers.Good(_issuer.Certificate, Now);
        var request = OcspRequest.Create(_leaf, _issuer.Certificate);

        // RFC 6960 Appendix A.1: GET {url}/{url-encoding of base-64 encoding of the DER OCSPRequest}.
        var body = await _http.GetByteArrayAsync(new Uri(responder.Uri, Uri.EscapeDataString(Convert.ToBase64String(request.Encode()))));
        Assert.Equal(RevocationStatus.Good, OcspResponse.Parse(body, request, _issuer.Certificate, Now).Status);

        responder.DeclaredContentLengthExtra = 10;
        await Assert.ThrowsAsync<HttpRequestException>(() => PostAsync(responder, request));
        Assert.Equal(2, responder.RequestCount);
    }

    [Fact]
    public async Task Error_statuses_and_requests_that_are_not_ocsp_get_unsigned_error_responses()
    {
        await using var responder = await ScriptedOcspResponder.StartAsync();
        responder.Answer = _ => OcspAnswers.Error(3);
        var request = OcspRequest.Create(_leaf, _issuer.Certificate);
        var tryLater = await PostAsync(responder, request);
        using var garbage = new ByteArrayContent(HostileBodies.Garbage(40, seed: 2));
        garbage.Headers.ContentType = new MediaTypeHeaderValue(OcspRequest.MediaType);
        using var malformed = await _http.PostAsync(responder.Uri, garbage);

        Assert.Equal([0x30, 0x03, 0x0A, 0x01, 0x03], tryLater);
        Assert.Equal([0x30, 0x03, 0x0A, 0x01, 0x01], await malformed.Content.ReadAsByteArrayAsync());
        Assert.Contains("TryLater", Assert.Throws<CryptographicException>(() => OcspResponse.Parse(tryLater, request, _issuer.Certificate, Now)).Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _http.Dispose();
        _leaf.Dispose();
        _issuer.Dispose();
    }

    private async Task<byte[]> PostAsync(ScriptedOcspResponder responder, OcspRequest request)
    {
        using var content = new ByteArrayContent(request.Encode());
        content.Headers.ContentType = new MediaTypeHeaderValue(OcspRequest.MediaType);
        using var response = await _http.PostAsync(responder.Uri, content);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }
}
