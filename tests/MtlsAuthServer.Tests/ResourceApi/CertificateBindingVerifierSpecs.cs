using System.Buffers.Text;
using System.Security.Cryptography;
using MtlsAuthServer.CertificateBinding;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.ResourceApi;

/// <summary>The RFC 8705 §3.1 comparison itself: strict reading of <c>cnf.x5t#S256</c>, every failure named.</summary>
public sealed class CertificateBindingVerifierSpecs : IDisposable
{
    private readonly TestPki _pki = TestPki.Create();

    [Fact]
    public void The_thumbprint_of_the_presented_certificate_matches()
    {
        using var certificate = _pki.IssueClient("CN=payments, O=Test Org");

        var check = CertificateBindingVerifier.Verify([Cnf(OAuth.Thumbprint(certificate))], certificate);

        Assert.True(check.IsBound);
        Assert.Equal(OAuth.Thumbprint(certificate), check.BoundThumbprint);
        Assert.Equal(CertificateThumbprint.Sha256(certificate), check.PresentedThumbprint);
    }

    [Fact]
    public void Another_certificate_is_a_mismatch()
    {
        using var bound = _pki.IssueClient("CN=payments, O=Test Org");
        using var other = _pki.IssueClient("CN=payments, O=Test Org");

        Assert.Equal(BindingFailure.BindingMismatch, CertificateBindingVerifier.Verify([Cnf(OAuth.Thumbprint(bound))], other).Failure);
    }

    [Fact]
    public void No_certificate_is_named_before_anything_about_the_token()
    {
        Assert.Equal(BindingFailure.NoClientCertificate, CertificateBindingVerifier.Verify([], null).Failure);
        Assert.Equal(BindingFailure.NoClientCertificate, CertificateBindingVerifier.Verify([Cnf("x")], null).Failure);
    }

    [Fact]
    public void A_token_without_cnf_is_refused_only_when_binding_is_required()
    {
        using var certificate = _pki.IssueClient("CN=payments, O=Test Org");

        Assert.Equal(BindingFailure.TokenNotBound, CertificateBindingVerifier.Verify([], certificate).Failure);
        var lenient = CertificateBindingVerifier.Verify([], certificate, requireBinding: false);
        Assert.True(lenient.Succeeded);
        Assert.False(lenient.IsBound);
    }

    [Fact]
    public void A_bound_token_is_still_enforced_when_binding_is_not_required()
    {
        using var bound = _pki.IssueClient("CN=payments, O=Test Org");
        using var other = _pki.IssueClient("CN=payments, O=Test Org");

        Assert.Equal(BindingFailure.BindingMismatch, CertificateBindingVerifier.Verify([Cnf(OAuth.Thumbprint(bound))], other, requireBinding: false).Failure);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"abc\"")]
    [InlineData("{}")]
    [InlineData("{\"jkt\":\"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I\"}")]
    [InlineData("{\"x5t#S256\":42}")]
    [InlineData("{\"x5t#S256\":null}")]
    [InlineData("{\"x5t#s256\":\"{0}\"}")]
    [InlineData("{\"x5t#S256\":\"{0}=\"}")]
    [InlineData("{\"x5t#S256\":\"{0}\",\"x5t#S256\":\"{0}\"}")]
    [InlineData("not json")]
    public void A_malformed_confirmation_is_refused(string template)
    {
        using var certificate = _pki.IssueClient("CN=payments, O=Test Org");
        var cnf = template.Replace("{0}", OAuth.Thumbprint(certificate), StringComparison.Ordinal);

        Assert.Equal(BindingFailure.ConfirmationMalformed, CertificateBindingVerifier.Verify([cnf], certificate).Failure);
    }

    [Fact]
    public void Hex_and_standard_base64_forms_of_the_right_hash_are_malformed()
    {
        using var certificate = _pki.IssueClient("CN=payments, O=Test Org");
        var hash = SHA256.HashData(certificate.RawData);

        Assert.Equal(BindingFailure.ConfirmationMalformed, CertificateBindingVerifier.Verify([Cnf(Convert.ToHexString(hash))], certificate).Failure);
        Assert.Equal(BindingFailure.ConfirmationMalformed, CertificateBindingVerifier.Verify([Cnf(Convert.ToBase64String(hash))], certificate).Failure);
        Assert.Equal(BindingFailure.ConfirmationMalformed, CertificateBindingVerifier.Verify([Cnf(Base64Url.EncodeToString(certificate.GetCertHash()))], certificate).Failure);
    }

    [Fact]
    public void Two_cnf_claims_are_malformed()
    {
        using var certificate = _pki.IssueClient("CN=payments, O=Test Org");
        var cnf = Cnf(OAuth.Thumbprint(certificate));

        Assert.Equal(BindingFailure.ConfirmationMalformed, CertificateBindingVerifier.Verify([cnf, cnf], certificate).Failure);
    }

    public void Dispose() => _pki.Dispose();

    private static string Cnf(string thumbprint) => $"{{\"x5t#S256\":\"{thumbprint}\"}}";
}
