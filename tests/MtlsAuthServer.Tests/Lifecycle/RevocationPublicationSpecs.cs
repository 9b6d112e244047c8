using System.Net;
using Microsoft.Extensions.DependencyInjection;
using MtlsAuthServer.Certificates.Revocation;
using MtlsAuthServer.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MtlsAuthServer.Tests.Lifecycle;

/// <summary>
/// revoke / crl: the tool publishes the issuing CA's CRL into the folder the token server serves at the
/// certificates' CRL distribution point; the running server refuses a revoked certificate within one
/// Revocation:RefreshInterval (1 s here), without a restart.
/// </summary>
public sealed class RevocationPublicationSpecs(ITestOutputHelper output)
{
    // One refresh interval, plus a fetch and the tool's own run, with room for a slow CI machine.
    private static readonly TimeSpan Allowed = ToolPki.RefreshInterval + TimeSpan.FromSeconds(4);

    [Fact]
    public async Task A_revoked_certificate_is_refused_within_one_refresh_interval_without_a_restart()
    {
        using var pki = await ToolPki.InitAsync();
        await pki.RunAsync("issue-client", "--name", "payments", "--subject", "CN=payments,O=Lifecycle Test");
        await pki.RunAsync("issue-client", "--name", "billing", "--subject", "CN=billing,O=Lifecycle Test");
        using var host = pki.StartServer(settings => settings
            .AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Lifecycle Test")
            .AddTlsClient("billing", "tls_client_auth_subject_dn", "CN=billing,O=Lifecycle Test"));
        using var payments = pki.LoadClient("payments");
        using var billing = pki.LoadClient("billing");
        using var paymentsClient = host.CreateMtlsClient(payments);
        using var billingClient = host.CreateMtlsClient(billing);
        Assert.Equal(HttpStatusCode.OK, (await paymentsClient.RequestTokenAsync("payments")).StatusCode);

        var revoke = await pki.RunAsync("revoke", "--cert", pki.Layout.ClientCertificate("payments"), "--reason", "key-compromise");
        var (refusal, after) = await LiveRevocation.WaitForRefusalAsync(paymentsClient, "payments", Allowed);

        Assert.Contains("CRL number 2, 1 revoked", revoke.Output, StringComparison.Ordinal);
        await OAuth.AssertRejectedAsync(refusal, host.Logs, "certificate_revoked", payments);
        Assert.True(after < Allowed, $"refused only after {after}");
        output.WriteLine($"refused {after.TotalMilliseconds:0} ms after `mtls-pki revoke` returned (Revocation:RefreshInterval {ToolPki.RefreshInterval})");
        Assert.Equal(HttpStatusCode.OK, (await billingClient.RequestTokenAsync("billing")).StatusCode);
    }

    [Fact]
    public async Task A_certificate_revoked_by_serial_is_refused_and_a_refreshed_crl_keeps_it_revoked()
    {
        using var pki = await ToolPki.InitAsync();
        var issued = await pki.RunAsync("issue-client", "--name", "gateway", "--subject", "CN=gateway,O=Lifecycle Test");
        var serial = issued.Lines.Single(line => line.StartsWith("serial ", StringComparison.Ordinal))["serial ".Length..].Trim();
        using var host = pki.StartServer(settings => settings.AddTlsClient("gateway", "tls_client_auth_subject_dn", "CN=gateway,O=Lifecycle Test"));
        using var gateway = pki.LoadClient("gateway");
        using var client = host.CreateMtlsClient(gateway);
        Assert.Equal(HttpStatusCode.OK, (await client.RequestTokenAsync("gateway")).StatusCode);

        // The serial as an operator copies it from a log: lower case, with colons.
        await pki.RunAsync("revoke", "--serial", string.Join(':', serial.ToLowerInvariant().Chunk(2).Select(pair => new string(pair))));
        var (refusal, _) = await LiveRevocation.WaitForRefusalAsync(client, "gateway", Allowed);
        await OAuth.AssertRejectedAsync(refusal, host.Logs, "certificate_revoked", gateway);

        var refreshedAt = DateTimeOffset.UtcNow.AddSeconds(-1);
        var refreshed = await pki.RunAsync("crl", "--ca", "issuing", "--next-update", "1d");
        Assert.Contains("CRL number 3, 1 revoked", refreshed.Output, StringComparison.Ordinal);
        // Keep asking until the server has fetched the re-signed CRL (bounded); it must go on refusing throughout.
        var crls = host.Services.GetRequiredService<CrlCache>();
        await Eventually.ReachesAsync(
            async () =>
            {
                using var again = await client.RequestTokenAsync("gateway");
                Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
                return crls.Known.Any(known => known.Crl is { } crl && crl.ThisUpdate >= refreshedAt && crl.RevokedCount == 1);
            },
            fetched => fetched, "the re-signed CRL to be fetched", Allowed);

        using var afterRefresh = await client.RequestTokenAsync("gateway");
        Assert.Equal(HttpStatusCode.Unauthorized, afterRefresh.StatusCode);
    }

    [Fact]
    public async Task A_published_crl_past_its_next_update_is_not_believed()
    {
        using var pki = await ToolPki.InitAsync();
        await pki.RunAsync("issue-client", "--name", "payments", "--subject", "CN=payments,O=Lifecycle Test");
        using var host = pki.StartServer(settings => settings.AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Lifecycle Test"));
        using var payments = pki.LoadClient("payments");
        using var client = host.CreateMtlsClient(payments);
        Assert.Equal(HttpStatusCode.OK, (await client.RequestTokenAsync("payments")).StatusCode);

        // The publisher stops after a CRL valid for two seconds: once it is stale, the server fails closed.
        await pki.RunAsync("crl", "--ca", "issuing", "--next-update", "2s");
        var (refusal, _) = await LiveRevocation.WaitForRefusalAsync(client, "payments", TimeSpan.FromSeconds(15));

        await OAuth.AssertRejectedAsync(refusal, host.Logs, "revocation_unknown", payments);
        Assert.Contains(host.Logs.Rejections, e => e["Detail"]?.Contains("not current", StringComparison.Ordinal) == true);
    }
}
