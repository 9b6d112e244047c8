using System.Net;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.ScaleOut;

/// <summary>Database:ApplyMigrationsAtStartup: who brings the schema up to date, and what an instance does meanwhile.</summary>
public sealed class MigrationSpecs : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private readonly TestPki _pki = TestPki.Create();
    private readonly string _folder = Directory.CreateTempSubdirectory("mtls-migrations-").FullName;

    [Fact]
    public async Task An_instance_not_allowed_to_migrate_waits_not_ready_until_the_schema_is_migrated()
    {
        using var waiting = Start(applyMigrations: false);
        using var management = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var ready = new Uri(waiting.ManagementUri, "health/ready");
        using (var response = await management.GetAsync(ready))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }

        Assert.Contains(waiting.Logs.WithEventId(4402), e => e["ExceptionType"] == "SchemaNotReadyException");

        using var migrating = Start(applyMigrations: true);

        await Eventually.ReachesAsync(
            async () =>
            {
                using var response = await management.GetAsync(ready);
                return response.StatusCode;
            },
            status => status == HttpStatusCode.OK, "readiness once the other instance migrated", Limit);
        Assert.Single(migrating.Logs.WithEventId(4405));
        Assert.Empty(waiting.Logs.WithEventId(4405));
    }

    public void Dispose()
    {
        _pki.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private TokenServerHost Start(bool applyMigrations) => TokenServerHost.Start(_pki, settings =>
    {
        settings["Serilog:MinimumLevel:Override:MtlsAuthServer"] = "Information";
        settings["Database:ConnectionString"] = $"Data Source={Path.Combine(_folder, "auth.db")};Pooling=False";
        settings["Database:ApplyMigrationsAtStartup"] = applyMigrations ? "true" : "false";
        settings["Database:StartupRetryInterval"] = "00:00:00.200";
    });
}
