using System.Net;
using System.Numerics;
using MtlsAuthServer.Pki;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.HotReload;

/// <summary>Offline revocation: a CRL file replaced on disk is read again, without a restart.</summary>
public sealed class CrlFileReloadSpecs : IDisposable
{
    private readonly TestPki _pki = TestPki.Create();

    [Fact]
    public async Task A_certificate_revoked_in_a_replaced_crl_file_is_refused_without_restart()
    {
        var issuingCrl = Path.Combine(_pki.Folder, "issuing.crl");
        var rootCrl = Path.Combine(_pki.Folder, "root.crl");
        PemFiles.WritePublic(issuingCrl, _pki.IssuingCrl());
        PemFiles.WritePublic(rootCrl, _pki.RootCrl());
        using var host = TokenServerHost.Start(_pki, settings =>
        {
            settings.AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org");
            settings["Revocation:Mode"] = "Offline";
            settings["Revocation:CrlFiles:0"] = issuingCrl;
            settings["Revocation:CrlFiles:1"] = rootCrl;
        });
        using var certificate = _pki.IssueClient("CN=payments,O=Test Org");
        using (var client = host.CreateMtlsClient(certificate))
        using (var accepted = await client.RequestTokenAsync("payments"))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        PemFiles.WritePublic(issuingCrl, _pki.Issuing.CreateCrl(
            [RevokedCertificate.For(certificate, TestPki.Now.AddMinutes(-1))], new BigInteger(2), TestPki.Now.AddMinutes(-1), TestPki.Now.AddDays(1)));

        var status = await Eventually.ReachesAsync(
            async () =>
            {
                using var client = host.CreateMtlsClient(certificate);
                using var response = await client.RequestTokenAsync("payments");
                return response.StatusCode;
            },
            code => code != HttpStatusCode.OK,
            "the revocation to be seen");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains(host.Logs.Rejections, e => e["Reason"] == "certificate_revoked" && e["Thumbprint"] == OAuth.Thumbprint(certificate));
    }

    public void Dispose() => _pki.Dispose();
}
