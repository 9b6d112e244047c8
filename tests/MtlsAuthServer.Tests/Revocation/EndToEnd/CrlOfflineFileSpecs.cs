using MtlsAuthServer.Tests.Infrastructure;
using MtlsAuthServer.Tests.Revocation.Hostile;

namespace MtlsAuthServer.Tests.Revocation.EndToEnd;

/// <summary>Offline mode: a CRL file that is garbage is refused once, logged, answers "unknown", and is picked up when fixed.</summary>
public sealed class CrlOfflineFileSpecs : IAsyncLifetime
{
    private RevocationEndpoint _endpoint = null!;

    public async Task InitializeAsync() => _endpoint = await RevocationEndpoint.StartAsync();

    public async Task DisposeAsync() => await _endpoint.DisposeAsync();

    [Fact]
    public async Task A_garbage_crl_file_is_refused_with_an_event_and_a_fixed_file_is_loaded()
    {
        using var certificate = _endpoint.Pki.IssueClient(RevocationEndpoint.ClientSubject);
        var issuingCrl = Path.Combine(_endpoint.Pki.Folder, "issuing.crl");
        var rootCrl = Path.Combine(_endpoint.Pki.Folder, "root.crl");
        await File.WriteAllBytesAsync(issuingCrl, HostileBodies.PemLookingGarbage());
        await File.WriteAllBytesAsync(rootCrl, _endpoint.Pki.RootCrl());
        using var host = _endpoint.StartHost(settings =>
        {
            settings["Revocation:Mode"] = "Offline";
            settings["Revocation:CrlFiles:0"] = issuingCrl;
            settings["Revocation:CrlFiles:1"] = rootCrl;
        });
        using var client = host.CreateMtlsClient(certificate);

        for (var i = 0; i < 2; i++)
        {
            using var refused = await client.RequestTokenAsync(RevocationEndpoint.ClientId, "api:read");
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("invalid_client", await refused.ErrorAsync());
        }

        Assert.All(host.Logs.Rejections, e => Assert.Equal("revocation_unknown", e["Reason"]));
        Assert.Single(host.Logs.WithEventId(4015), e => e["Path"] == issuingCrl);

        await File.WriteAllBytesAsync(issuingCrl, _endpoint.Pki.IssuingCrl());
        File.SetLastWriteTimeUtc(issuingCrl, DateTime.UtcNow.AddSeconds(5));
        _endpoint.Clock.Offset += TimeSpan.FromSeconds(2);
        await RevocationEndpoint.AssertAcceptedAsync(client);
        Assert.Contains(host.Logs.WithEventId(4014), e => e["Path"] == issuingCrl);
    }

    [Fact]
    public async Task An_older_crl_copied_over_a_newer_file_does_not_undo_a_revocation()
    {
        using var certificate = _endpoint.Pki.IssueClient(RevocationEndpoint.ClientSubject);
        var issuingCrl = Path.Combine(_endpoint.Pki.Folder, "issuing.crl");
        var now = TestPki.Now;
        await File.WriteAllBytesAsync(issuingCrl, TestCrlWriter.Write(
            new CrlSpec { CrlNumber = 2, ThisUpdate = now.AddMinutes(-1), Revoked = [CrlSpec.Entry(certificate, now.AddMinutes(-2))] }, _endpoint.Pki.Issuing.Certificate));
        using var host = _endpoint.StartHost(settings =>
        {
            settings["Revocation:Mode"] = "Offline";
            settings["Revocation:Scope"] = "EndEntity";
            settings["Revocation:CrlFiles:0"] = issuingCrl;
        });
        using var client = host.CreateMtlsClient(certificate);
        using (var revoked = await client.RequestTokenAsync(RevocationEndpoint.ClientId, "api:read"))
        {
            await OAuth.AssertRejectedAsync(revoked, host.Logs, "certificate_revoked", certificate);
        }

        await File.WriteAllBytesAsync(issuingCrl, TestCrlWriter.Write(new CrlSpec { CrlNumber = 1, ThisUpdate = now.AddHours(-1) }, _endpoint.Pki.Issuing.Certificate));
        File.SetLastWriteTimeUtc(issuingCrl, DateTime.UtcNow.AddSeconds(5));
        _endpoint.Clock.Offset += TimeSpan.FromSeconds(2);
        using var afterCopy = await client.RequestTokenAsync(RevocationEndpoint.ClientId, "api:read");

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, afterCopy.StatusCode);
        Assert.Equal("certificate_revoked", host.Logs.Rejections[^1]["Reason"]);
        Assert.Single(host.Logs.WithEventId(4011), e => e["Source"] == issuingCrl);
    }
}
