using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Observability;

/// <summary>The expiry gauges on <c>/metrics</c>, checked against certificates and CRLs minted with known dates.</summary>
public sealed class ExpiryMetricsSpecs : IDisposable
{
    private const string CertificateGauge = "mtls_auth_certificate_expiry_remaining_seconds";
    private const string CrlGauge = "mtls_auth_crl_next_update_remaining_seconds";
    private const double Tolerance = 0.001;

    private readonly KnownDatesServer _server = KnownDatesServer.Create();

    [Fact]
    public async Task Each_certificate_reports_the_seconds_left_before_its_not_after()
    {
        var scrape = await PrometheusScrape.FetchAsync(_server.Host);

        var server = scrape.One(CertificateGauge, ("kind", "server_certificate"));
        Assert.Equal(KnownDatesServer.ServerLifetime.TotalSeconds, server.Value, Tolerance);
        Assert.Equal(_server.ServerThumbprint, server["x5t_s256"]);
        Assert.Equal("CN=localhost", server["subject"]);

        var anchor = scrape.One(CertificateGauge, ("kind", "trust_anchor"));
        Assert.Equal(_server.SecondsUntil(_server.Pki.Root.Certificate.NotAfter.ToUniversalTime()), anchor.Value, Tolerance);
        Assert.Equal(OAuth.Thumbprint(_server.Pki.Root.Certificate), anchor["x5t_s256"]);

        var intermediate = scrape.One(CertificateGauge, ("kind", "intermediate"));
        Assert.Equal(_server.SecondsUntil(_server.Pki.Issuing.Certificate.NotAfter.ToUniversalTime()), intermediate.Value, Tolerance);
        Assert.Equal(OAuth.Thumbprint(_server.Pki.Issuing.Certificate), intermediate["x5t_s256"]);

        var robot = scrape.One(CertificateGauge, ("kind", "client_certificate"), ("client_id", "robot"));
        Assert.Equal(KnownDatesServer.RobotLifetime.TotalSeconds, robot.Value, Tolerance);
        Assert.Equal(OAuth.Thumbprint(_server.Robot), robot["x5t_s256"]);
    }

    [Fact]
    public async Task Each_crl_file_reports_the_seconds_left_before_its_next_update()
    {
        var scrape = await PrometheusScrape.FetchAsync(_server.Host);

        var issuing = scrape.One(CrlGauge, ("source", _server.IssuingCrlPath));
        Assert.Equal(KnownDatesServer.IssuingCrlLifetime.TotalSeconds, issuing.Value, Tolerance);
        Assert.Contains("CN=Test Issuing CA", issuing["issuer"], StringComparison.Ordinal);
        var root = scrape.One(CrlGauge, ("source", _server.RootCrlPath));
        Assert.Equal(KnownDatesServer.RootCrlLifetime.TotalSeconds, root.Value, Tolerance);
    }

    [Fact]
    public async Task The_gauges_follow_the_clock_and_go_negative_once_expired()
    {
        _server.Clock.Advance(TimeSpan.FromDays(11));

        var scrape = await PrometheusScrape.FetchAsync(_server.Host);

        Assert.Equal(-TimeSpan.FromDays(1).TotalSeconds, scrape.One(CertificateGauge, ("kind", "server_certificate")).Value, Tolerance);
        Assert.Equal(TimeSpan.FromDays(34).TotalSeconds, scrape.One(CertificateGauge, ("client_id", "robot")).Value, Tolerance);
        Assert.Equal(-TimeSpan.FromDays(8).TotalSeconds, scrape.One(CrlGauge, ("source", _server.IssuingCrlPath)).Value, Tolerance);
    }

    public void Dispose() => _server.Dispose();
}
