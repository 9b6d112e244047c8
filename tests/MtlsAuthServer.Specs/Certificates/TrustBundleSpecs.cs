using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Pki;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Specs.Certificates;

/// <summary>The one trust-bundle type of both hosts: what a bundle must hold, and the refusals that name the key.</summary>
public sealed class TrustBundleSpecs : IDisposable
{
    private readonly TestPki _pki = TestPki.Create();

    [Fact]
    public void Self_signed_certificates_are_anchors_the_others_helpers()
    {
        var bundle = TrustBundle.Load(_pki.TrustAnchorsPath, "TrustAnchors:Path", _pki.IntermediatesPath, "TrustAnchors:IntermediatesPath");

        Assert.Equal(_pki.Root.Certificate.RawData, Assert.Single(bundle.Anchors).RawData);
        Assert.Equal(_pki.Issuing.Certificate.RawData, Assert.Single(bundle.Intermediates).RawData);
        Assert.True(bundle.Contains(_pki.Issuing.Certificate));
        Assert.False(bundle.Contains(_pki.Server));
    }

    [Fact]
    public void A_bundle_without_a_root_is_refused_naming_the_key()
    {
        var error = Assert.Throws<InvalidDataException>(() => TrustBundle.Load(_pki.IntermediatesPath, "TrustAnchors:Path"));

        Assert.StartsWith("TrustAnchors:Path: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("no self-signed root", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("leaf")]
    [InlineData("garbage")]
    [InlineData("empty")]
    public void A_file_that_is_not_a_bundle_of_CA_certificates_is_refused_naming_the_key(string content)
    {
        var path = Path.Combine(_pki.Folder, "intermediates-" + content + ".pem");
        switch (content)
        {
            case "leaf":
                PemFiles.WriteCertificates(path, _pki.Server);
                break;
            case "garbage":
                File.WriteAllText(path, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
                break;
            case "empty":
                File.WriteAllText(path, string.Empty);
                break;
        }

        var error = Assert.Throws<InvalidDataException>(() =>
            TrustBundle.Load(_pki.TrustAnchorsPath, "TrustAnchors:Path", path, "TrustAnchors:IntermediatesPath"));

        Assert.StartsWith("TrustAnchors:IntermediatesPath: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_issuer_gate_knows_only_the_configured_CAs()
    {
        var bundle = TrustBundle.Load(_pki.TrustAnchorsPath, "TrustAnchors:Path", _pki.IntermediatesPath, "TrustAnchors:IntermediatesPath");
        using var impostor = TestPki.Create(organization: "Test Org");
        using var client = _pki.IssueClient("CN=client");
        using var foreign = impostor.IssueClient("CN=client");

        Assert.True(bundle.NamesConfiguredIssuer(client));
        // Same issuer name, another key: the authority key identifier tells them apart.
        Assert.False(bundle.NamesConfiguredIssuer(foreign));
    }

    [Fact]
    public void Its_chain_policy_trusts_the_bundle_only_and_fetches_nothing()
    {
        var bundle = TrustBundle.Load(_pki.TrustAnchorsPath, "TrustAnchors:Path", _pki.IntermediatesPath, "TrustAnchors:IntermediatesPath");
        using var client = _pki.IssueClient("CN=client");
        using var chain = new X509Chain { ChainPolicy = bundle.CreatePolicy(Oids.ClientAuthentication) };

        Assert.True(chain.Build(client));
        Assert.Equal(X509ChainTrustMode.CustomRootTrust, chain.ChainPolicy.TrustMode);
        Assert.True(chain.ChainPolicy.DisableCertificateDownloads);
        Assert.Equal(X509RevocationMode.NoCheck, chain.ChainPolicy.RevocationMode);
        foreach (var element in chain.ChainElements)
        {
            element.Certificate.Dispose();
        }
    }

    public void Dispose() => _pki.Dispose();
}
