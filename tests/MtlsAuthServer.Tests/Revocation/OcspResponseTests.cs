using System.Security.Cryptography;
using MtlsAuthServer.Certificates.Revocation;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Revocation;

/// <summary>OcspResponse.Parse on real <c>openssl ocsp</c> answers: what it accepts, and each thing it must refuse.</summary>
public sealed class OcspResponseTests
{
    [Fact]
    public async Task Answer_to_our_request_is_verified_with_its_status_times_and_nonce()
    {
        using var pki = new OcspTestPki(new Uri($"http://127.0.0.1:{FreePort.Next()}/"));
        var client = pki.IssueRevoked("client");
        using var responder = await pki.StartResponderAsync();
        using var services = new RevocationServices();
        var request = OcspRequest.Create(client, pki.Issuing.Certificate);

        var response = OcspResponse.Parse(await PostAsync(services, pki, request), request, pki.Issuing.Certificate, DateTimeOffset.UtcNow);

        Assert.Equal(RevocationStatus.Revoked, response.Status);
        Assert.Equal("issuer", response.Signer);
        Assert.True(response.NonceEchoed);
        Assert.Equal(TimeSpan.FromMinutes(1), response.NextUpdate - response.ThisUpdate);
    }

    [Fact]
    public async Task Answer_to_another_request_for_the_same_certificate_is_refused_as_a_replay()
    {
        using var pki = new OcspTestPki(new Uri($"http://127.0.0.1:{FreePort.Next()}/"));
        var client = pki.IssueGood("client");
        using var responder = await pki.StartResponderAsync();
        using var services = new RevocationServices();
        var earlier = OcspRequest.Create(client, pki.Issuing.Certificate);
        var replayed = await PostAsync(services, pki, earlier);
        var ours = OcspRequest.Create(client, pki.Issuing.Certificate);

        var error = Assert.Throws<CryptographicException>(() => OcspResponse.Parse(replayed, ours, pki.Issuing.Certificate, DateTimeOffset.UtcNow));

        Assert.Contains("nonce", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answer_about_another_certificate_is_refused()
    {
        using var pki = new OcspTestPki(new Uri($"http://127.0.0.1:{FreePort.Next()}/"));
        var asked = pki.IssueGood("asked");
        var other = pki.IssueGood("other");
        using var responder = await pki.StartResponderAsync();
        using var services = new RevocationServices();
        var aboutOther = OcspRequest.Create(other, pki.Issuing.Certificate);
        var answer = await PostAsync(services, pki, aboutOther);

        var error = Assert.Throws<CryptographicException>(
            () => OcspResponse.Parse(answer, OcspRequest.Create(asked, pki.Issuing.Certificate), pki.Issuing.Certificate, DateTimeOffset.UtcNow));

        Assert.Contains("does not answer for the requested certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answer_past_its_next_update_is_refused()
    {
        using var pki = new OcspTestPki(new Uri($"http://127.0.0.1:{FreePort.Next()}/"));
        var client = pki.IssueGood("client");
        using var responder = await pki.StartResponderAsync();
        using var services = new RevocationServices();
        var request = OcspRequest.Create(client, pki.Issuing.Certificate);
        var answer = await PostAsync(services, pki, request);
        var nextUpdate = OcspResponse.Parse(answer, request, pki.Issuing.Certificate, DateTimeOffset.UtcNow).NextUpdate!.Value;

        var error = Assert.Throws<CryptographicException>(
            () => OcspResponse.Parse(answer, request, pki.Issuing.Certificate, nextUpdate.AddSeconds(1)));

        Assert.Contains("expired", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answer_from_more_than_five_minutes_in_the_future_is_refused()
    {
        using var pki = new OcspTestPki(new Uri($"http://127.0.0.1:{FreePort.Next()}/"));
        var client = pki.IssueGood("client");
        using var responder = await pki.StartResponderAsync();
        using var services = new RevocationServices();
        var request = OcspRequest.Create(client, pki.Issuing.Certificate);
        var answer = await PostAsync(services, pki, request);
        var thisUpdate = OcspResponse.Parse(answer, request, pki.Issuing.Certificate, DateTimeOffset.UtcNow).ThisUpdate;

        var withinSkew = OcspResponse.Parse(answer, request, pki.Issuing.Certificate, thisUpdate.AddMinutes(-4));
        var error = Assert.Throws<CryptographicException>(
            () => OcspResponse.Parse(answer, request, pki.Issuing.Certificate, thisUpdate.AddMinutes(-6)));

        Assert.Equal(RevocationStatus.Good, withinSkew.Status);
        Assert.Contains("in the future", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answer_altered_after_signing_is_refused()
    {
        using var pki = new OcspTestPki(new Uri($"http://127.0.0.1:{FreePort.Next()}/"));
        var client = pki.IssueGood("client");
        using var responder = await pki.StartResponderAsync();
        using var services = new RevocationServices();
        var request = OcspRequest.Create(client, pki.Issuing.Certificate);
        var answer = await PostAsync(services, pki, request);
        var thisUpdate = OcspResponse.Parse(answer, request, pki.Issuing.Certificate, DateTimeOffset.UtcNow).ThisUpdate;

        // Move producedAt, the first GeneralizedTime (tag 0x18, 15 octets) in the response, nine centuries ahead:
        // nothing but the signature protects it.
        var at = answer.AsSpan().IndexOf("\u0018\u000F20"u8);
        Assert.True(at > 0);
        var altered = (byte[])answer.Clone();
        altered[at + 3] = (byte)'9';

        var error = Assert.Throws<CryptographicException>(() => OcspResponse.Parse(altered, request, pki.Issuing.Certificate, DateTimeOffset.UtcNow));

        Assert.Contains("signature does not verify", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("30030a0101", "MalformedRequest")]
    [InlineData("30030a0103", "TryLater")]
    [InlineData("30030a0106", "Unauthorized")]
    public void Unsuccessful_response_status_is_refused(string hex, string status)
    {
        // RFC 6960 §4.2.1: an error status comes alone, unsigned: OCSPResponse { responseStatus }.
        using var pki = new OcspTestPki(new Uri("http://127.0.0.1:9/"));
        var client = pki.IssueGood("client");

        var error = Assert.Throws<CryptographicException>(() => OcspResponse.Parse(
            Convert.FromHexString(hex), OcspRequest.Create(client, pki.Issuing.Certificate), pki.Issuing.Certificate, DateTimeOffset.UtcNow));

        Assert.Contains(status, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("3003")]
    [InlineData("30030a0100")]
    [InlineData("30050a0100a000")]
    public void Malformed_bytes_are_refused(string hex)
    {
        using var pki = new OcspTestPki(new Uri("http://127.0.0.1:9/"));
        var client = pki.IssueGood("client");

        Assert.Throws<CryptographicException>(() => OcspResponse.Parse(
            Convert.FromHexString(hex), OcspRequest.Create(client, pki.Issuing.Certificate), pki.Issuing.Certificate, DateTimeOffset.UtcNow));
    }

    private static Task<byte[]> PostAsync(RevocationServices services, OcspTestPki pki, OcspRequest request) =>
        services.Fetcher.PostAsync(pki.OcspUri, request.Encode(), OcspRequest.MediaType, OcspResponse.MediaType, CancellationToken.None);
}
