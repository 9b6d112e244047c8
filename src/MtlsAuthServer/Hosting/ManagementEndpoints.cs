using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Monitoring;
using MtlsAuthServer.ServiceDefaults.Hosting;

namespace MtlsAuthServer.Hosting;

/// <summary>Configuration section <c>CrlPublication</c>: a folder of CRL files served on the management listener.</summary>
public sealed class CrlPublicationOptions
{
    public const string Section = "CrlPublication";

    /// <summary>Folder whose <c>*.crl</c> files are served at <c>/crl/{name}</c>; unset disables publication.</summary>
    public string? Folder { get; set; }
}

public static partial class ManagementEndpoints
{
    public static WebApplicationBuilder AddManagement(this WebApplicationBuilder builder)
    {
        builder.Services.AddSection<CrlPublicationOptions>(CrlPublicationOptions.Section)
            .PostConfigure<IHostEnvironment>((options, environment) => options.Folder = ConfiguredPath.Resolve(environment, options.Folder));
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, ManagementListenerPolicy>());
        return builder;
    }

    /// <summary>Health, metrics and CRL publication, reachable only on the management listener (by local port).</summary>
    public static WebApplication MapManagementEndpoints(this WebApplication app)
    {
        var management = app.Services.GetRequiredService<IOptions<ListenerOptions>>().Value.Management;
        if (string.IsNullOrWhiteSpace(management))
        {
            return app;
        }

        var only = new ManagementListenerOnly(new Uri(management).Port);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthResponseWriter.WriteAsync })
            .WithMetadata(only);
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = HealthResponseWriter.WriteAsync })
            .WithMetadata(only);
        app.MapGet("/crl/{name}", (string name, IOptions<CrlPublicationOptions> options) => ServeCrl(name, options.Value)).WithMetadata(only);
        app.MapPrometheusScrapingEndpoint("/metrics").WithMetadata(only);
        return app;
    }

    private static IResult ServeCrl(string name, CrlPublicationOptions options)
    {
        // Only plain file names: nothing outside the folder can be asked for.
        if (string.IsNullOrEmpty(options.Folder) || !CrlFileName().IsMatch(name))
        {
            return Results.NotFound();
        }

        var path = Path.Combine(options.Folder, name);
        return File.Exists(path)
            ? Results.Bytes(File.ReadAllBytes(path), "application/pkix-crl")
            : Results.NotFound();
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,100}\\.crl$")]
    private static partial Regex CrlFileName();
}
