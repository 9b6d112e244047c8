using System.Net;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.ScaleOut;

/// <summary>Nothing an instance needs to honour another instance's tokens may live only in that instance.</summary>
public sealed class InstanceStateSpecs : IClassFixture<PostgresServer>, IDisposable
{
    private readonly TestPki _pki = TestPki.Create();
    private readonly SharedDeployment _deployment;

    public InstanceStateSpecs(PostgresServer postgres) => _deployment = new SharedDeployment(postgres.CreateDatabase());

    [Fact]
    public async Task Issuing_introspecting_and_revoking_never_touch_instance_local_data_protection_keys()
    {
        // ASP.NET Core Data Protection keys are per machine unless persisted somewhere shared. OpenIddict uses them
        // only with UseDataProtection(), which this server doesn't call: tokens are JWTs signed with the shared key.
        // (AddAuthentication registers Data Protection; its start-up key-ring load is removed, see DataProtectionSpecs.)
        // Every protect/unprotect logs a Trace event.
        using var instance = TokenServerHost.Start(_pki, settings => _deployment.Apply(settings)
            .AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org")
            .AddTlsClient("sample-resource-api", "tls_client_auth_subject_dn", "CN=sample-resource-api,O=Test Org", scope: null)
            .Values["Serilog:MinimumLevel:Override:Microsoft.AspNetCore.DataProtection"] = "Verbose");
        using var payments = _pki.IssueClient("CN=payments,O=Test Org");
        using var resource = _pki.IssueClient("CN=sample-resource-api,O=Test Org");
        using var paymentsClient = instance.CreateMtlsClient(payments);
        using var resourceClient = instance.CreateMtlsClient(resource);

        var token = await paymentsClient.GetAccessTokenAsync("payments", "api:read");
        Assert.True(await resourceClient.IsActiveAsync("sample-resource-api", token));
        using var revocation = await paymentsClient.RevokeAsync("payments", token);
        Assert.Equal(HttpStatusCode.OK, revocation.StatusCode);

        DataProtectionLogs.AssertNoneBesidesTheProbe(instance.Services, instance.Logs, Microsoft.Extensions.Logging.LogLevel.Trace);
    }

    public void Dispose()
    {
        _deployment.Dispose();
        _pki.Dispose();
    }
}
