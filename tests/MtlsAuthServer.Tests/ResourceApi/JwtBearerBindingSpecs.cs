using System.Net;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using System.Diagnostics.Metrics;
using MtlsAuthServer.CertificateBinding;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.ResourceApi;

/// <summary>The reusable one-liner on a plain JwtBearer resource server, against tokens from the real token server.</summary>
public sealed class JwtBearerBindingSpecs(BoundTokenEnvironment environment) : IClassFixture<BoundTokenEnvironment>, IAsyncLifetime
{
    private JwtBearerHost _host = null!;

    public async Task InitializeAsync() => _host = await JwtBearerHost.StartAsync(environment.Pki, environment.TokenServer);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_bound_token_from_its_own_certificate_is_accepted()
    {
        var token = await environment.TokenAsync(environment.Payments, "payments");

        using var response = await _host.CallAsync(environment.Payments, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("payments", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_same_token_from_another_certificate_is_refused_with_invalid_token()
    {
        var token = await environment.TokenAsync(environment.Payments, "payments");
        using var metrics = new MetricCollector<long>(
            _host.Services.GetRequiredService<IMeterFactory>(), CertificateBindingTelemetry.MeterName, CertificateBindingTelemetry.RejectionsCounterName);

        using var response = await _host.CallAsync(environment.PaymentsOtherKey, token);

        AssertRefused(response, "binding_mismatch", OAuth.Thumbprint(environment.PaymentsOtherKey));
        Assert.Equal("binding_mismatch", (string?)Assert.Single(metrics.GetMeasurementSnapshot()).Tags["reason"]);
    }

    [Fact]
    public async Task A_bound_token_without_a_client_certificate_is_refused()
    {
        var token = await environment.TokenAsync(environment.Payments, "payments");

        using var response = await _host.CallAsync(null, token);

        AssertRefused(response, "no_client_certificate", "-");
    }

    [Fact]
    public async Task A_token_without_cnf_is_refused()
    {
        var token = environment.Minter.Mint(environment.TokenServer.PublicUri, "payments", cnf: null);

        using var response = await _host.CallAsync(environment.Payments, token);

        AssertRefused(response, "token_not_bound", OAuth.Thumbprint(environment.Payments));
    }

    [Theory]
    [InlineData("hex")]
    [InlineData("padded")]
    [InlineData("sha1")]
    [InlineData("standard-base64")]
    public async Task A_cnf_thumbprint_in_another_encoding_is_refused_as_malformed(string encoding)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(environment.Payments.RawData);
        var value = encoding switch
        {
            "hex" => Convert.ToHexStringLower(hash),
            "padded" => System.Buffers.Text.Base64Url.EncodeToString(hash) + "=",
            "sha1" => System.Buffers.Text.Base64Url.EncodeToString(environment.Payments.GetCertHash()),
            _ => Convert.ToBase64String(hash),
        };
        var token = environment.Minter.Mint(environment.TokenServer.PublicUri, "payments", cnf: $"{{\"x5t#S256\":\"{value}\"}}");

        using var response = await _host.CallAsync(environment.Payments, token);

        AssertRefused(response, "cnf_malformed", OAuth.Thumbprint(environment.Payments));
    }

    [Fact]
    public async Task A_scheme_resolving_its_events_from_di_refuses_to_start()
    {
        // JwtBearer would never run wrapped events: failing open is not an option.
        await using var app = JwtBearerHost.Build(environment.Pki, environment.TokenServer, new CapturedLogs(), options => options.EventsType = typeof(JwtBearerEvents));

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());

        Assert.Contains("EventsType", failure.ToString(), StringComparison.Ordinal);
    }


    private void AssertRefused(HttpResponseMessage response, string reason, string thumbprint)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("error=\"invalid_token\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.Contains("error_description=\"The access token is not valid for this client certificate.\"", challenge.Parameter, StringComparison.Ordinal);
        var logged = _host.Logs.WithEventId(5100).Select(e => $"{e["Reason"]} {e["Thumbprint"]}").ToList();
        Assert.Equal([$"{reason} {thumbprint}"], logged);
    }
}
