using MtlsAuthServer.CertificateForwarding;
using MtlsAuthServer.ResourceApi.Api;
using MtlsAuthServer.ResourceApi.Authorization;
using MtlsAuthServer.ResourceApi.Certificates;
using MtlsAuthServer.ResourceApi.Hosting;
using MtlsAuthServer.ResourceApi.Metadata;
using MtlsAuthServer.ResourceApi.Tokens;
using Microsoft.Extensions.Options;
using MtlsAuthServer.ServiceDefaults.Hosting;
using MtlsAuthServer.ServiceDefaults.Logging;

namespace MtlsAuthServer.ResourceApi;

/// <summary>
/// The sample resource API: accepts a certificate-bound access token only from the certificate it is bound to
/// (RFC 8705 §3). A named entry class, not top-level statements, so tests can host it next to the token server.
/// </summary>
public sealed class ResourceApiProgram
{
    private ResourceApiProgram()
    {
    }

    public static void Main(string[] args) => BuildApp(args).Run();

    public static WebApplication BuildApp(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        builder.AddStructuredLogging();
        builder.AddCallerCertificateAuthentication();
        builder.AddMtlsListener();
        builder.AddForwardedClientCertificates(); // behind a TLS-terminating proxy: the same trusted-proxy gate as the token server
        builder.AddTokenValidation();
        builder.AddApiAuthorization();
        builder.AddResourceMetadata();
        builder.SkipDataProtectionKeyRingAtStartup(); // Registered by authentication, never used: no key generated or read.

        var app = builder.Build();
        // Every section validated before Run starts anything: a bad value is reported as the OptionsValidationException
        // naming its key, not after a half-start whose host is disposed under whoever waits for it.
        app.Services.GetRequiredService<IStartupValidator>().Validate();

        app.UseRequestLogging();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapApi();
        app.MapResourceMetadata();
        return app;
    }
}
