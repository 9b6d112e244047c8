using System.Net;
using MtlsAuthServer.Pki;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.HotReload;

/// <summary>Replacing the <c>TrustAnchors:Path</c>/<c>IntermediatesPath</c> bundles while the server runs.</summary>
public sealed class TrustBundleReloadSpecs : IDisposable
{
    private const string Material = "trust_anchors";
    private readonly TestPki _pki = TestPki.Create();
    private readonly TestPki _partnerPki = TestPki.Create(organization: "Partner Org");
    private readonly TokenServerHost _host;

    public TrustBundleReloadSpecs() => _host = TokenServerHost.Start(_pki, settings =>
    {
        settings.AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org");
        settings.AddTlsClient("partner", "tls_client_auth_subject_dn", "CN=partner,O=Partner Org");
        settings["HotReload:PollInterval"] = "00:00:00.100";
        settings[ReloadEvents.LogReloadsKey] = "Information";
    });

    [Fact]
    public async Task A_client_of_a_newly_trusted_ca_is_accepted_and_one_of_a_removed_ca_refused_without_restart()
    {
        using var ours = _pki.IssueClient("CN=payments,O=Test Org");
        using var partners = _partnerPki.IssueClient("CN=partner,O=Partner Org");
        using (var before = _host.CreateMtlsClient(partners, _partnerPki.Issuing.Certificate))
        using (var refused = await before.RequestTokenAsync("partner"))
        {
            await OAuth.AssertRejectedAsync(refused, _host.Logs, "chain_untrusted", partners);
        }

        WriteBundles(_pki, _partnerPki);
        await ReloadEvents.LoggedAsync(_host.Logs, 4300, Material, 1);

        using (var partner = _host.CreateMtlsClient(partners, _partnerPki.Issuing.Certificate))
        using (var accepted = await partner.RequestTokenAsync("partner"))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        WriteBundles(_partnerPki);
        await ReloadEvents.LoggedAsync(_host.Logs, 4300, Material, 2);

        using var client = _host.CreateMtlsClient(ours);
        using var response = await client.RequestTokenAsync("payments");
        await OAuth.AssertRejectedAsync(response, _host.Logs, "chain_untrusted", ours);
    }

    [Fact]
    public async Task A_broken_bundle_is_rejected_with_an_error_and_the_previous_anchors_stay_in_use()
    {
        using var ours = _pki.IssueClient("CN=payments,O=Test Org");

        // A leaf certificate is not a trust anchor: the whole bundle is refused.
        PemFiles.WriteCertificates(_pki.TrustAnchorsPath, ours);

        var rejected = Assert.Single(await ReloadEvents.LoggedAsync(_host.Logs, 4301, Material, 1));
        Assert.Contains("not a CA certificate", rejected["Reason"], StringComparison.Ordinal);
        using var client = _host.CreateMtlsClient(ours);
        using var response = await client.RequestTokenAsync("payments");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public void Dispose()
    {
        _host.Dispose();
        _pki.Dispose();
        _partnerPki.Dispose();
    }

    private void WriteBundles(params TestPki[] trusted)
    {
        PemFiles.WriteCertificates(_pki.IntermediatesPath, [.. trusted.Select(pki => pki.Issuing.Certificate)]);
        PemFiles.WriteCertificates(_pki.TrustAnchorsPath, [.. trusted.Select(pki => pki.Root.Certificate)]);
    }
}
