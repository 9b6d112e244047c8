using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Pki;
using MtlsAuthServer.Tests.Infrastructure;
using MtlsAuthServer.Tests.Observability;

namespace MtlsAuthServer.Tests.HotReload;

/// <summary>Replacing <c>ServerCertificate:Path</c>/<c>KeyPath</c> on disk while the server runs.</summary>
public sealed class ServerCertificateReloadSpecs : IDisposable
{
    private const string Material = "server_certificate";
    private readonly TestPki _pki = TestPki.Create();
    private readonly TokenServerHost _host;

    public ServerCertificateReloadSpecs() =>
        _host = TokenServerHost.Start(_pki, settings =>
        {
            settings.AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org");
            settings["HotReload:PollInterval"] = "00:00:00.100";
            settings[ReloadEvents.LogReloadsKey] = "Information";
        });

    [Fact]
    public async Task A_replaced_certificate_is_served_to_new_connections_on_both_tls_listeners_without_restart()
    {
        Assert.Equal(OAuth.Thumbprint(_pki.Server), await TlsProbe.ServerThumbprintAsync(_host.MtlsUri, _pki));
        using var replacement = IssueServerCertificate(TestPki.Now.AddDays(90));

        WriteServerFiles(replacement, replacement);

        var expected = OAuth.Thumbprint(replacement);
        await Eventually.ReachesAsync(() => TlsProbe.ServerThumbprintAsync(_host.MtlsUri, _pki), t => t == expected, "the new certificate on the mTLS listener");
        Assert.Equal(expected, await TlsProbe.ServerThumbprintAsync(_host.PublicUri, _pki));
        var reloaded = Assert.Single(await ReloadEvents.LoggedAsync(_host.Logs, 4300, Material, 1));
        Assert.Contains(expected, reloaded.Message, StringComparison.Ordinal);
        var scrape = await PrometheusScrape.FetchAsync(_host);
        Assert.Equal(1, scrape.One("mtls_auth_reloads_total", ("material", Material), ("outcome", "success")).Value);
        Assert.Equal(expected, scrape.One("mtls_auth_certificate_expiry_remaining_seconds", ("kind", "server_certificate"))["x5t_s256"]);
    }

    [Fact]
    public async Task A_garbage_certificate_file_is_rejected_with_an_error_and_the_previous_certificate_stays_in_use()
    {
        PemFiles.WritePublic(_pki.ServerCertificatePath, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");

        var rejected = Assert.Single(await ReloadEvents.LoggedAsync(_host.Logs, 4301, Material, 1));

        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Error, rejected.Level);
        Assert.Equal(OAuth.Thumbprint(_pki.Server), await TlsProbe.ServerThumbprintAsync(_host.MtlsUri, _pki));
        Assert.Empty(_host.Logs.WithEventId(4300));
        var scrape = await PrometheusScrape.FetchAsync(_host);
        Assert.Equal(1, scrape.One("mtls_auth_reloads_total", ("material", Material), ("outcome", "rejected")).Value);
    }

    [Fact]
    public async Task A_certificate_whose_key_does_not_match_is_rejected_and_a_later_good_pair_is_taken()
    {
        using var replacement = IssueServerCertificate(TestPki.Now.AddDays(90));
        using var otherKey = IssueServerCertificate(TestPki.Now.AddDays(90));

        WriteServerFiles(replacement, otherKey);

        var rejected = Assert.Single(await ReloadEvents.LoggedAsync(_host.Logs, 4301, Material, 1));
        Assert.Contains("key", rejected["Reason"], StringComparison.OrdinalIgnoreCase);
        Assert.Equal(OAuth.Thumbprint(_pki.Server), await TlsProbe.ServerThumbprintAsync(_host.MtlsUri, _pki));

        WriteServerFiles(replacement, replacement);

        var expected = OAuth.Thumbprint(replacement);
        await Eventually.ReachesAsync(() => TlsProbe.ServerThumbprintAsync(_host.MtlsUri, _pki), t => t == expected, "the good replacement");
    }

    [Fact]
    public async Task An_expired_replacement_is_rejected()
    {
        using var expired = IssueServerCertificate(TestPki.Now.AddMinutes(-5));

        WriteServerFiles(expired, expired);

        var rejected = Assert.Single(await ReloadEvents.LoggedAsync(_host.Logs, 4301, Material, 1));
        Assert.Contains("expired", rejected["Reason"], StringComparison.Ordinal);
        Assert.Equal(OAuth.Thumbprint(_pki.Server), await TlsProbe.ServerThumbprintAsync(_host.MtlsUri, _pki));
    }

    [Fact]
    public async Task Token_requests_keep_working_across_a_swap()
    {
        using var certificate = _pki.IssueClient("CN=payments,O=Test Org");
        using var client = _host.CreateMtlsClient(certificate);
        using (var before = await client.RequestTokenAsync("payments"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var replacement = IssueServerCertificate(TestPki.Now.AddDays(90));
        WriteServerFiles(replacement, replacement);
        var expected = OAuth.Thumbprint(replacement);
        await Eventually.ReachesAsync(() => TlsProbe.ServerThumbprintAsync(_host.MtlsUri, _pki), t => t == expected, "the new certificate");

        // The pooled connection (old certificate) and a new one (new certificate) both keep working.
        using (var pooled = await client.RequestTokenAsync("payments"))
        {
            Assert.Equal(HttpStatusCode.OK, pooled.StatusCode);
        }

        using var fresh = _host.CreateMtlsClient(certificate);
        using var after = await fresh.RequestTokenAsync("payments");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task A_kubernetes_style_symlink_swap_of_the_mounted_folder_is_picked_up()
    {
        // Secret volumes: the files are symlinks through "..data", itself a symlink swapped atomically to a new
        // folder; the watched paths never change, only what they lead to.
        var mount = Directory.CreateDirectory(Path.Combine(_pki.Folder, "mount")).FullName;
        using var first = IssueServerCertificate(TestPki.Now.AddDays(90));
        using var second = IssueServerCertificate(TestPki.Now.AddDays(95));
        WriteVersion(mount, "v1", first);
        WriteVersion(mount, "v2", second);
        Directory.CreateSymbolicLink(Path.Combine(mount, "..data"), "v1");
        File.CreateSymbolicLink(Path.Combine(mount, "tls.crt"), "..data/tls.crt");
        File.CreateSymbolicLink(Path.Combine(mount, "tls.key"), "..data/tls.key");
        using var host = TokenServerHost.Start(_pki, settings =>
        {
            settings["ServerCertificate:Path"] = Path.Combine(mount, "tls.crt");
            settings["ServerCertificate:KeyPath"] = Path.Combine(mount, "tls.key");
            settings["HotReload:PollInterval"] = "00:00:00.100";
        });
        Assert.Equal(OAuth.Thumbprint(first), await TlsProbe.ServerThumbprintAsync(host.MtlsUri, _pki));

        Directory.CreateSymbolicLink(Path.Combine(mount, "..data_tmp"), "v2");
        await RunAsync("mv", "-T", Path.Combine(mount, "..data_tmp"), Path.Combine(mount, "..data"));

        var expected = OAuth.Thumbprint(second);
        await Eventually.ReachesAsync(() => TlsProbe.ServerThumbprintAsync(host.MtlsUri, _pki), t => t == expected, "the certificate behind the swapped link");
    }

    public void Dispose()
    {
        _host.Dispose();
        _pki.Dispose();
    }

    private X509Certificate2 IssueServerCertificate(DateTimeOffset notAfter) =>
        _pki.Issuing.Issue(CertificateProfile.ForServer(
            "CN=localhost", ["localhost"], [IPAddress.Loopback, IPAddress.IPv6Loopback], notAfter.AddDays(-100), notAfter));

    private void WriteVersion(string mount, string version, X509Certificate2 certificate)
    {
        var folder = Directory.CreateDirectory(Path.Combine(mount, version)).FullName;
        PemFiles.WriteCertificates(Path.Combine(folder, "tls.crt"), certificate, _pki.Issuing.Certificate);
        PemFiles.WritePrivateKey(Path.Combine(folder, "tls.key"), certificate);
    }

    /// <summary>Runs a command (rename(2) of a symlink, as kubelet does) and waits for it, bounded.</summary>
    private static async Task RunAsync(string command, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true })!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{command} failed: {await process.StandardError.ReadToEndAsync()}");
    }

    /// <summary>Writes the certificate (with its chain) and the private key of <paramref name="keyOwner"/>, each atomically.</summary>
    private void WriteServerFiles(X509Certificate2 certificate, X509Certificate2 keyOwner)
    {
        PemFiles.WriteCertificates(_pki.ServerCertificatePath, certificate, _pki.Issuing.Certificate);
        PemFiles.WritePrivateKey(_pki.ServerKeyPath, keyOwner);
    }
}
