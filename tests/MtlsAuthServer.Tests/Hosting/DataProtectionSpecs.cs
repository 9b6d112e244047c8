using System.Net;
using Microsoft.Extensions.Logging;
using MtlsAuthServer.Tests.Infrastructure;
using MtlsAuthServer.Tests.ResourceApi;

namespace MtlsAuthServer.Tests.Hosting;

/// <summary>
/// Neither host protects anything with ASP.NET Core Data Protection (tokens are JWTs signed with the configured keys),
/// which authentication registers anyway: neither may load its key ring at start-up, which on a first start generates a
/// key and writes it unencrypted under $HOME, with a warning. Data Protection logs at Debug whenever its key ring is read.
/// </summary>
public sealed class DataProtectionSpecs(BoundTokenEnvironment environment) : IClassFixture<BoundTokenEnvironment>
{
    private const string Category = DataProtectionLogs.Category;

    [Fact]
    public async Task The_token_server_starts_and_issues_tokens_without_reading_a_data_protection_key_ring()
    {
        using var server = TokenServerHost.Start(environment.Pki, settings =>
        {
            settings[$"Serilog:MinimumLevel:Override:{Category}"] = "Debug";
            settings.AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org");
        });

        var token = await environment.TokenAsync(environment.Payments, "payments", "api:read", server);

        Assert.NotEmpty(token);
        DataProtectionLogs.AssertNoneBesidesTheProbe(server.Services, server.Logs, LogLevel.Debug);
    }

    [Fact]
    public async Task The_resource_api_starts_and_serves_without_reading_a_data_protection_key_ring()
    {
        using var api = ResourceApiHost.Start(environment.Pki, environment.TokenServer, BoundTokenEnvironment.Local,
            configure: settings => settings[$"Serilog:MinimumLevel:Override:{Category}"] = "Debug");

        using var response = await BoundTokenEnvironment.CallAsync(api, environment.Payments, await environment.TokenAsync(environment.Payments, "payments", "api:read"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        DataProtectionLogs.AssertNoneBesidesTheProbe(api.Services, api.Logs, LogLevel.Debug);
    }
}
