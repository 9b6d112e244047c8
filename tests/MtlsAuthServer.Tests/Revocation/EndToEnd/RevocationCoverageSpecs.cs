using MtlsAuthServer.Tests.Infrastructure;
using MtlsAuthServer.Tests.Lifecycle;

namespace MtlsAuthServer.Tests.Revocation.EndToEnd;

/// <summary>
/// A common private PKI: the issuing CA's certificate names no CRL or OCSP location (its root is offline). In the
/// default scope every client below it is refused; the server says so at start-up, in readiness and in diagnose,
/// naming the keys that fix it, and each fix works.
/// </summary>
public sealed class RevocationCoverageSpecs : IAsyncLifetime
{
    private RevocationEndpoint _endpoint = null!;

    public async Task InitializeAsync()
    {
        _endpoint = await RevocationEndpoint.StartAsync(issuingCaNamesCrl: false);
        _endpoint.Crls.Serve("issuing.crl", _endpoint.Pki.IssuingCrl());
    }

    public async Task DisposeAsync() => await _endpoint.DisposeAsync();

    [Fact]
    public async Task An_issuing_ca_without_revocation_locations_is_reported_at_start_up_in_readiness_and_refuses_its_clients()
    {
        using var certificate = _endpoint.Pki.IssueClient(RevocationEndpoint.ClientSubject);
        using var host = _endpoint.StartHost();
        using var client = host.CreateMtlsClient(certificate);

        using var refused = await client.RequestTokenAsync(RevocationEndpoint.ClientId, "api:read");
        var health = await RevocationEndpoint.RevocationHealthAsync(host);

        await OAuth.AssertRejectedAsync(refused, host.Logs, "revocation_unknown", certificate);
        Assert.Contains("Revocation:Scope=EndEntity", host.Logs.Rejections[^1]["Detail"], StringComparison.Ordinal);
        var warning = Assert.Single(host.Logs.WithEventId(4013));
        Assert.Equal(_endpoint.Pki.Issuing.Certificate.Subject, warning["Ca"]);
        Assert.Contains("Revocation:CrlFiles", warning["Fix"], StringComparison.Ordinal);
        Assert.Contains("Revocation:Scope=EndEntity", warning["Fix"], StringComparison.Ordinal);
        Assert.Equal("Degraded", health.GetProperty("status").GetString());
        var gap = Assert.Single(health.GetProperty("data").GetProperty("coverage_gaps").EnumerateArray());
        Assert.Equal(_endpoint.Pki.Issuing.Certificate.Subject, gap.GetProperty("ca").GetString());
    }

    [Fact]
    public async Task Diagnose_names_the_same_gap_and_its_fix()
    {
        using var certificate = _endpoint.Pki.IssueClient(RevocationEndpoint.ClientSubject);
        using var host = _endpoint.StartHost();
        var path = Path.Combine(_endpoint.Pki.Folder, "client.crt");
        await File.WriteAllTextAsync(path, certificate.ExportCertificatePem());

        var run = await DiagnoseRun.InProcessAsync(host, "--cert", path, "--client-id", RevocationEndpoint.ClientId);

        Assert.Contains("FAIL  revocation   revocation_unknown", run.Output, StringComparison.Ordinal);
        Assert.Contains($"WARN  {_endpoint.Pki.Issuing.Certificate.Subject} names no CRL distribution point", run.Output, StringComparison.Ordinal);
        Assert.Contains("Revocation:Scope=EndEntity", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task End_entity_scope_checks_the_client_certificate_and_still_refuses_a_revoked_one()
    {
        using var certificate = _endpoint.Pki.IssueClient(RevocationEndpoint.ClientSubject);
        using var revoked = _endpoint.Pki.IssueClient("CN=revoked,O=Test Org");
        _endpoint.Crls.Serve("issuing.crl", _endpoint.Pki.IssuingCrl(revoked));
        using var host = _endpoint.StartHost(settings =>
        {
            settings["Revocation:Scope"] = "EndEntity";
            settings.AddTlsClient("revoked", "tls_client_auth_subject_dn", "CN=revoked,O=Test Org");
        });
        using var client = host.CreateMtlsClient(certificate);
        using var revokedClient = host.CreateMtlsClient(revoked);

        await RevocationEndpoint.AssertAcceptedAsync(client);
        using var refused = await revokedClient.RequestTokenAsync("revoked", "api:read");

        await OAuth.AssertRejectedAsync(refused, host.Logs, "certificate_revoked", revoked);
        Assert.Empty(host.Logs.WithEventId(4013));
        Assert.Equal("Healthy", (await RevocationEndpoint.RevocationHealthAsync(host)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_offline_roots_crl_as_a_file_covers_the_issuing_ca_in_online_mode()
    {
        using var certificate = _endpoint.Pki.IssueClient(RevocationEndpoint.ClientSubject);
        var rootCrl = Path.Combine(_endpoint.Pki.Folder, "root.crl");
        await File.WriteAllBytesAsync(rootCrl, _endpoint.Pki.RootCrl());
        using var host = _endpoint.StartHost(settings => settings["Revocation:CrlFiles:0"] = rootCrl);
        using var client = host.CreateMtlsClient(certificate);

        await RevocationEndpoint.AssertAcceptedAsync(client);
        Assert.Empty(host.Logs.WithEventId(4013));
        Assert.Equal("Healthy", (await RevocationEndpoint.RevocationHealthAsync(host)).GetProperty("status").GetString());
    }
}
