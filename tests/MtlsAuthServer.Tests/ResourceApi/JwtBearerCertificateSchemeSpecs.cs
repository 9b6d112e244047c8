using System.Net;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MtlsAuthServer.CertificateBinding.JwtBearer;
using MtlsAuthServer.CertificateBinding.Metadata;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.ResourceApi;

/// <summary>
/// The documented two lines on a plain JwtBearer API: <c>AddCertificate(...)</c> and <c>RequireCertificateBoundTokens</c>
/// composed with it, so a bound token counts only from a certificate the certificate handler validated; Kestrel lets
/// every certificate through. With metadata configured, every challenge names it (RFC 9728 §5.1).
/// </summary>
public sealed class JwtBearerCertificateSchemeSpecs(BoundTokenEnvironment environment) : IClassFixture<BoundTokenEnvironment>, IAsyncLifetime
{
    private static readonly Uri Metadata = ProtectedResourceMetadata.MetadataUriFor("https://api.example/");

    private JwtBearerHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await JwtBearerHost.StartAsync(environment.Pki, environment.TokenServer, certificateScheme: true, resourceMetadata: Metadata);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_bound_token_from_its_validated_certificate_is_accepted()
    {
        var token = await environment.TokenAsync(environment.Payments, "payments");

        using var response = await _host.CallAsync(environment.Payments, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("payments", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_bound_token_from_a_certificate_the_certificate_scheme_does_not_trust_is_refused()
    {
        // The token server trusts the partner CA and bound the token to this certificate; this API's handler does not.
        var token = await environment.TokenAsync(environment.Partner, "partner", intermediates: environment.PartnerPki.Issuing.Certificate);

        using var response = await _host.CallAsync(environment.Partner, token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal($"resource_metadata=\"{Metadata.AbsoluteUri}\", error=\"invalid_token\", error_description=\"The access token is not valid for this client certificate.\"", challenge.Parameter);
        var logged = Assert.Single(_host.Logs.WithEventId(5100));
        Assert.Equal("certificate_rejected", logged["Reason"]);
        Assert.Equal(OAuth.Thumbprint(environment.Partner), logged["Thumbprint"]);
    }

    [Fact]
    public async Task The_same_token_from_another_validated_certificate_is_still_a_binding_mismatch()
    {
        var token = await environment.TokenAsync(environment.Payments, "payments");

        using var response = await _host.CallAsync(environment.PaymentsOtherKey, token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("binding_mismatch", Assert.Single(_host.Logs.WithEventId(5100))["Reason"]);
    }

    [Fact]
    public async Task A_request_without_a_token_is_challenged_with_the_metadata_url()
    {
        using var client = _host.CreateMtlsClient(environment.Payments);

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Equal($"resource_metadata=\"{Metadata.AbsoluteUri}\"", challenge.Parameter);
    }

    [Fact]
    public async Task Naming_a_certificate_scheme_that_is_not_registered_refuses_to_start()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseSetting("urls", "http://127.0.0.1:0");
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options => options.Authority = environment.TokenServer.PublicUri.AbsoluteUri)
            .RequireCertificateBoundTokens(configure: binding => binding.CertificateScheme = "Certificate");
        await using var app = builder.Build();

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());

        Assert.Contains("'Certificate', which is not registered", failure.Message, StringComparison.Ordinal);
    }
}
