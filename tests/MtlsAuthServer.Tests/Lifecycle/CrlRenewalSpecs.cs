using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MtlsAuthServer.Certificates.Revocation;
using MtlsAuthServer.DevelopmentPki;
using MtlsAuthServer.Pki;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Lifecycle;

/// <summary>
/// CRLs must not lapse where this project is the CA (issue 18): <c>mtls-pki crl --renew-before</c> re-signs only what is
/// due, and the development server re-signs its own CRLs well before their nextUpdate.
/// </summary>
public sealed class CrlRenewalSpecs : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mtls-crl-renewal-").FullName;

    private DevelopmentPkiLayout Layout => new(_folder);

    [Fact]
    public async Task The_tool_re_signs_only_the_crls_whose_next_update_is_within_the_window()
    {
        await PkiToolRun.SucceedAsync("init", "--out", _folder);

        var notDue = await PkiToolRun.SucceedAsync("crl", "--pki", _folder, "--renew-before", "2d");
        var due = await PkiToolRun.SucceedAsync("crl", "--pki", _folder, "--ca", "issuing", "--renew-before", "8d", "--next-update", "30d");

        Assert.Contains("Not due", notDue.Output, StringComparison.Ordinal);
        Assert.Equal(1, Layout.RootCa.ReadState().CrlNumber);
        Assert.Contains("CRL number 2", due.Output, StringComparison.Ordinal);
        var crl = CertificateRevocationList.Parse(await File.ReadAllBytesAsync(Layout.IssuingCrl));
        Assert.Equal(2, (int)crl.CrlNumber!.Value);
        Assert.InRange(crl.NextUpdate!.Value - crl.ThisUpdate, TimeSpan.FromDays(30) - TimeSpan.FromSeconds(1), TimeSpan.FromDays(30));
    }

    [Fact]
    public async Task A_renewal_window_as_long_as_the_validity_is_refused_with_the_option_named()
    {
        await PkiToolRun.SucceedAsync("init", "--out", _folder);

        var refused = await PkiToolRun.RunAsync("crl", "--pki", _folder, "--renew-before", "7d");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("--renew-before must be shorter than --next-update", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_development_server_re_signs_its_crls_before_they_lapse()
    {
        var start = DateTimeOffset.UtcNow;
        Pki.DevelopmentPki.Create(Layout, new DevelopmentPkiSettings(), start);
        var clock = new FakeTimeProvider(start);
        using var renewer = new DevelopmentCrlRenewer(Layout, Options.Create(new DevelopmentPkiOptions()), clock, NullLogger<DevelopmentCrlRenewer>.Instance);
        await renewer.StartAsync(CancellationToken.None);

        // The first pass at start finds nothing due; five and a half days later both CRLs are within two days of lapsing.
        Assert.Equal(1, Layout.IssuingCa.ReadState().CrlNumber);
        clock.Advance(TimeSpan.FromDays(5.5));
        await Eventually.ReachesAsync(() => Task.FromResult(Layout.IssuingCa.ReadState().CrlNumber + Layout.RootCa.ReadState().CrlNumber), total => total == 4, "both CRLs re-signed");
        await renewer.StopAsync(CancellationToken.None);

        var issuing = CertificateRevocationList.Parse(await File.ReadAllBytesAsync(Layout.IssuingCrl));
        Assert.Equal(start.AddDays(12.5).ToUnixTimeSeconds(), issuing.NextUpdate!.Value.ToUnixTimeSeconds(), 2.0);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
