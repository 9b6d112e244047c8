using MtlsAuthServer.Certificates;
using MtlsAuthServer.Clients;
using MtlsAuthServer.Data;
using MtlsAuthServer.DevelopmentPki;
using MtlsAuthServer.Diagnostics;
using MtlsAuthServer.Hosting;
using MtlsAuthServer.HotReload;
using MtlsAuthServer.Monitoring;
using MtlsAuthServer.Profiles;
using MtlsAuthServer.Registration;
using MtlsAuthServer.ServiceDefaults.Hosting;
using MtlsAuthServer.ServiceDefaults.Logging;
using MtlsAuthServer.Tokens;

var builder = WebApplication.CreateBuilder(args);

builder.Configuration.UseIndexedJsonFiles(); // Thousands of registered clients in appsettings bind in linear, not quadratic, time.

builder.AddStructuredLogging();
builder.ValidateConfigurationWhenBuilt(); // A bad value fails Build() with the OptionsValidationException naming its key.
builder.AddDevelopmentPki();
builder.AddServerProfile(); // Profile: Standard or Fapi2; Fapi2 refuses configuration below FAPI 2.0.
builder.AddListeners();
builder.AddProxyMode(); // Forwarded mode puts its certificate middleware first in the pipeline.
builder.AddDatabase();
builder.AddClientCertificateValidation();
builder.AddClientRegistry();
builder.AddTokenServer();
builder.AddStoreAvailability();
builder.AddDynamicClientRegistration(); // RFC 7591/7592 on the mTLS listener, when Registration:Enabled.
builder.AddManagement();
builder.AddMonitoring();
builder.AddHotReload();
builder.SkipDataProtectionKeyRingAtStartup(); // Registered by authentication, never used: no key generated or read.

if (DiagnoseCommand.IsRequested(args))
{
    return await DiagnoseCommand.RunAsync(builder, args); // Same services and configuration; nothing listens.
}

if (ClientsCommand.IsRequested(args))
{
    return await ClientsCommand.RunAsync(builder, args); // add|list|show|disable|rotate-cert over the registration service.
}

var app = builder.Build();

app.UseRequestLogging(ListenerRoles.OutsideManagement); // Not for the management listener's probes and scrapes.
app.UseMiddleware<ListenerOwnershipGuard>(); // Public: discovery and JWKS only; OAuth endpoints on the mTLS listener only.
app.UseMiddleware<OAuthRequestGuard>();
app.UseStoreAvailability(); // 503 + Retry-After while the database is unavailable (not ready yet, or failing).
app.UseAuthentication(); // OpenIddict's endpoints run here, so after the guard.
app.UseRateLimiter(); // The registration endpoints' per-caller limit.
app.MapManagementEndpoints();
app.MapDynamicClientRegistration();

await app.RunAsync();
return 0;

/// <summary>Entry point; public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
