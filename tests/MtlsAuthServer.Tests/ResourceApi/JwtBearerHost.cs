using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MtlsAuthServer.CertificateBinding.JwtBearer;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.ResourceApi;

/// <summary>
/// A minimal resource server on plain JwtBearer plus the one-line <c>RequireCertificateBoundTokens()</c>, on real
/// Kestrel with mTLS (certificates checked against the test root in the handshake), trusting a real token server.
/// </summary>
public sealed class JwtBearerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private readonly TestPki _pki;

    private JwtBearerHost(TestPki pki, WebApplication app, Uri uri, CapturedLogs logs)
    {
        _pki = pki;
        _app = app;
        Uri = uri;
        Logs = logs;
    }

    public Uri Uri { get; }

    public CapturedLogs Logs { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The app; <paramref name="certificateScheme"/> true builds the documented two lines.</summary>
    /// <remarks>
    /// With <paramref name="certificateScheme"/>: the documented two lines, <c>AddCertificate(...)</c> on the test root plus <c>RequireCertificateBoundTokens</c>
    /// composed with it; Kestrel then lets any certificate through and the handler decides.
    /// </remarks>
    public static WebApplication Build(
        TestPki pki, TokenServerHost tokenServer, CapturedLogs logs, Action<JwtBearerOptions>? configure = null, bool certificateScheme = false, Uri? resourceMetadata = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(https =>
        {
            https.ServerCertificate = pki.Server;
            https.ServerCertificateChain = [pki.Issuing.Certificate];
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            https.ClientCertificateValidation = certificateScheme ? (_, _, _) => true : (certificate, _, _) => ChainsToTestRoot(pki, certificate);
        })));

        var authentication = builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme);
        if (certificateScheme)
        {
            authentication.AddCertificate(options =>
            {
                options.ChainTrustValidationMode = X509ChainTrustMode.CustomRootTrust;
                options.CustomTrustStore.Add(pki.Root.Certificate);
                options.AdditionalChainCertificates.Add(pki.Issuing.Certificate);
                options.RevocationMode = X509RevocationMode.NoCheck;
            });
        }

        authentication.AddJwtBearer(options =>
            {
                options.Authority = tokenServer.PublicUri.AbsoluteUri;
                options.Audience = "sample-resource-api";
                options.MapInboundClaims = false;
                options.BackchannelHttpHandler = new SocketsHttpHandler
                {
                    SslOptions = { CertificateChainPolicy = TestRootPolicy(pki) },
                };
                configure?.Invoke(options);
            })
            .RequireCertificateBoundTokens(configure: binding =>
            {
                binding.CertificateScheme = certificateScheme ? CertificateAuthenticationDefaults.AuthenticationScheme : null;
                binding.ResourceMetadata = resourceMetadata;
            });
        builder.Services.AddAuthorization();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/", (HttpContext context) => context.User.FindFirst("client_id")?.Value).RequireAuthorization();
        return app;
    }

    public static async Task<JwtBearerHost> StartAsync(TestPki pki, TokenServerHost tokenServer, bool certificateScheme = false, Uri? resourceMetadata = null)
    {
        var logs = new CapturedLogs();
        var app = Build(pki, tokenServer, logs, certificateScheme: certificateScheme, resourceMetadata: resourceMetadata);
        await app.StartAsync();
        var address = new Uri(app.Urls.Single());
        return new JwtBearerHost(pki, app, new Uri($"https://127.0.0.1:{address.Port}/"), logs);
    }

    public HttpClient CreateMtlsClient(X509Certificate2? certificate)
    {
        var client = MtlsHttpClient.Create(_pki, certificate);
        client.BaseAddress = Uri;
        return client;
    }

    /// <summary>GET / with <paramref name="token"/> as bearer token, presenting <paramref name="certificate"/> (none when null).</summary>
    public async Task<HttpResponseMessage> CallAsync(X509Certificate2? certificate, string token)
    {
        using var client = CreateMtlsClient(certificate);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static X509ChainPolicy TestRootPolicy(TestPki pki)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck, DisableCertificateDownloads = true };
        policy.CustomTrustStore.Add(pki.Root.Certificate);
        policy.ExtraStore.Add(pki.Issuing.Certificate);
        return policy;
    }

    private static bool ChainsToTestRoot(TestPki pki, X509Certificate2 certificate)
    {
        using var chain = new X509Chain { ChainPolicy = TestRootPolicy(pki) };
        return chain.Build(certificate);
    }
}
