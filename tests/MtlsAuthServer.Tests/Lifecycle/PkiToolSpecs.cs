using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MtlsAuthServer.Certificates.Revocation;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Tests.Lifecycle;

/// <summary>What the <c>mtls-pki</c> commands write: the folder layout, key permissions, CA state and CRLs.</summary>
public sealed class PkiToolSpecs : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mtls-pki-spec-").FullName;

    private DevelopmentPkiLayout Layout => new(_folder);

    [Fact]
    public async Task Init_writes_the_layout_the_server_reads_with_private_keys_readable_by_the_owner_only()
    {
        var run = await PkiToolRun.SucceedAsync("init", "--out", _folder, "--dns", "auth.example.org", "--ip", "10.0.0.5",
            "--crl-base-url", "http://crl.example.org/pki", "--ocsp-url", "http://ocsp.example.org/");
        await PkiToolRun.SucceedAsync("issue-client", "--pki", _folder, "--name", "payments", "--subject", "CN=payments");

        foreach (var file in new[] { Layout.RootCertificate, Layout.IssuingCertificate, Layout.TrustAnchors, Layout.Intermediates,
                     Layout.ServerCertificate, Layout.RootCrl, Layout.IssuingCrl, Layout.RootState, Layout.IssuingState })
        {
            Assert.True(File.Exists(file), file);
        }

        // Unix permissions (the supported platforms; Windows has ACLs and no mode bits).
        foreach (var key in new[] { Layout.RootKey, Layout.IssuingKey, Layout.ServerKey, Layout.ClientKey("payments") })
        {
            Assert.True(File.Exists(key), key);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
            }
        }

        Assert.Contains($"TrustAnchors__Path={Layout.TrustAnchors}", run.Output, StringComparison.Ordinal);
        using var server = X509CertificateLoader.LoadCertificateFromFile(Layout.ServerCertificate);
        var sans = new X509SubjectAlternativeNameExtension(server.Extensions[Oids.SubjectAlternativeName]!.RawData);
        Assert.Equal(["auth.example.org"], sans.EnumerateDnsNames());
        Assert.Equal("10.0.0.5", Assert.Single(sans.EnumerateIPAddresses()).ToString());

        // Issued certificates carry the CRL distribution point under the base URL and the OCSP responder.
        using var client = X509CertificateLoader.LoadCertificateFromFile(Layout.ClientCertificate("payments"));
        Assert.Equal([new Uri("http://crl.example.org/pki/issuing-ca.crl")], CertificateLocations.CrlDistributionPoints(client));
        Assert.Equal([new Uri("http://ocsp.example.org/")], CertificateLocations.OcspResponders(client));
        using var issuing = X509CertificateLoader.LoadCertificateFromFile(Layout.IssuingCertificate);
        Assert.Equal([new Uri("http://crl.example.org/pki/root-ca.crl")], CertificateLocations.CrlDistributionPoints(issuing));

        var crl = CertificateRevocationList.Parse(await File.ReadAllBytesAsync(Layout.IssuingCrl));
        Assert.Equal(0, crl.RevokedCount);
        Assert.True(crl.Authenticate(issuing, out var reason), reason);
        Assert.True(crl.Covers(client, out reason), reason);
        Assert.Equal(1, Layout.IssuingCa.ReadState().CrlNumber);
    }

    [Fact]
    public async Task Init_does_not_replace_an_existing_pki_unless_forced()
    {
        await PkiToolRun.SucceedAsync("init", "--out", _folder);
        var rootBefore = await File.ReadAllTextAsync(Layout.RootCertificate);

        var refused = await PkiToolRun.RunAsync("init", "--out", _folder);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("--force", refused.Error, StringComparison.Ordinal);
        Assert.Equal(rootBefore, await File.ReadAllTextAsync(Layout.RootCertificate));
        await PkiToolRun.SucceedAsync("init", "--out", _folder, "--force");
        Assert.NotEqual(rootBefore, await File.ReadAllTextAsync(Layout.RootCertificate));
    }

    [Fact]
    public async Task Revoke_records_the_entry_and_publishes_a_crl_with_the_next_number_and_the_requested_next_update()
    {
        await PkiToolRun.SucceedAsync("init", "--out", _folder);
        await PkiToolRun.SucceedAsync("issue-client", "--pki", _folder, "--name", "payments", "--subject", "CN=payments");
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(Layout.ClientCertificate("payments"));
        using var issuing = X509CertificateLoader.LoadCertificateFromFile(Layout.IssuingCertificate);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        await PkiToolRun.SucceedAsync("revoke", "--pki", _folder, "--cert", Layout.ClientCertificate("payments"), "--reason", "key-compromise", "--next-update", "12h");
        var again = await PkiToolRun.SucceedAsync("revoke", "--pki", _folder, "--cert", Layout.ClientCertificate("payments"));

        var crl = CertificateRevocationList.Parse(await File.ReadAllBytesAsync(Layout.IssuingCrl));
        Assert.True(crl.IsRevoked(certificate));
        Assert.True(crl.Authenticate(issuing, out var reason), reason);
        Assert.True(crl.Covers(certificate, out reason), reason);
        Assert.InRange(crl.NextUpdate!.Value - crl.ThisUpdate, TimeSpan.FromHours(12) - TimeSpan.FromSeconds(1), TimeSpan.FromHours(12));
        Assert.True(crl.ThisUpdate >= before.AddSeconds(-1));
        Assert.Contains("already revoked", again.Output, StringComparison.Ordinal);

        using var state = JsonDocument.Parse(await File.ReadAllTextAsync(Layout.IssuingState));
        Assert.Equal(2, state.RootElement.GetProperty("crlNumber").GetInt64());
        var entry = Assert.Single(state.RootElement.GetProperty("revoked").EnumerateArray());
        Assert.Equal(certificate.SerialNumber, entry.GetProperty("serialNumber").GetString());
        Assert.Equal("keyCompromise", entry.GetProperty("reason").GetString());
        _ = CertificateRevocationListBuilder.Load(await File.ReadAllBytesAsync(Layout.IssuingCrl), out var crlNumber);
        Assert.Equal(2, (int)crlNumber);
    }

    [Fact]
    public async Task A_lost_state_file_is_rebuilt_from_the_published_crl_so_no_revocation_is_dropped()
    {
        await PkiToolRun.SucceedAsync("init", "--out", _folder);
        await PkiToolRun.SucceedAsync("issue-client", "--pki", _folder, "--name", "payments", "--subject", "CN=payments");
        await PkiToolRun.SucceedAsync("revoke", "--pki", _folder, "--cert", Layout.ClientCertificate("payments"), "--reason", "superseded");
        File.Delete(Layout.IssuingState);

        var refreshed = await PkiToolRun.SucceedAsync("crl", "--pki", _folder, "--ca", "issuing");

        Assert.Contains("CRL number 3, 1 revoked", refreshed.Output, StringComparison.Ordinal);
        var state = Layout.IssuingCa.ReadState();
        Assert.Equal(X509RevocationReason.Superseded, Assert.Single(state.Revoked).Reason);
    }

    [Theory]
    [InlineData("--key", "dsa-1024", "--key: 'dsa-1024' is not one of")]
    [InlineData("--days", "0", "--days: 0 is not a positive number of days")]
    [InlineData("--san-uri", "not a uri", "--san-uri: 'not a uri' is not an absolute URI")]
    [InlineData("--subject", "CN=x,,", "--subject: 'CN=x,,' is not an RFC 4514 distinguished name")]
    public async Task Bad_issue_client_options_are_refused_with_the_option_named(string option, string value, string message)
    {
        await PkiToolRun.SucceedAsync("init", "--out", _folder);

        var run = await PkiToolRun.RunAsync("issue-client", "--pki", _folder, "--name", "payments", option, value);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Layout.ClientCertificate("payments")));
    }

    [Fact]
    public async Task A_certificate_of_another_ca_is_not_revoked_and_an_existing_client_is_not_overwritten()
    {
        await PkiToolRun.SucceedAsync("init", "--out", _folder);
        await PkiToolRun.SucceedAsync("issue-client", "--pki", _folder, "--name", "payments");
        var otherFolder = Path.Combine(_folder, "other");
        await PkiToolRun.SucceedAsync("init", "--out", otherFolder);
        await PkiToolRun.SucceedAsync("issue-client", "--pki", otherFolder, "--name", "payments");

        var foreign = await PkiToolRun.RunAsync("revoke", "--pki", _folder, "--cert", new DevelopmentPkiLayout(otherFolder).ClientCertificate("payments"));
        var overwrite = await PkiToolRun.RunAsync("issue-client", "--pki", _folder, "--name", "payments");
        var badDuration = await PkiToolRun.RunAsync("crl", "--pki", _folder, "--next-update", "soon");

        Assert.Equal(1, foreign.ExitCode);
        Assert.Contains("was not issued by issuing-ca", foreign.Error, StringComparison.Ordinal);
        Assert.Equal(1, overwrite.ExitCode);
        Assert.Contains("--force", overwrite.Error, StringComparison.Ordinal);
        Assert.Equal(1, badDuration.ExitCode);
        Assert.Contains("--next-update: 'soon' is not a positive duration", badDuration.Error, StringComparison.Ordinal);
        Assert.Equal(1, Layout.IssuingCa.ReadState().CrlNumber);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
