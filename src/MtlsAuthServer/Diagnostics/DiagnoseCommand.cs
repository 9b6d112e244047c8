using System.Data.Common;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Diagnostics;

/// <summary>
/// <c>MtlsAuthServer diagnose --cert client.crt [--chain extra.pem] [--client-id id]</c>: builds the server's
/// services from the same configuration (nothing listens), then prints each check a token request with this
/// certificate would go through, PASS or FAIL with the reason code the server logs. Exit code 0 when every
/// check passes, 2 when one fails, 1 when the diagnosis could not run.
/// </summary>
public static class DiagnoseCommand
{
    public const string Verb = "diagnose";

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Verb;

    public static async Task<int> RunAsync(WebApplicationBuilder builder, string[] args, TextWriter? output = null, CancellationToken cancellationToken = default)
    {
        output ??= Console.Out;
        if (!DiagnoseArguments.TryParse(args.AsSpan(1), out var arguments, out var error))
        {
            output.WriteLine(error.Length > 0 ? $"diagnose: {error}\n{DiagnoseArguments.Usage}" : DiagnoseArguments.Usage);
            return error.Length > 0 ? 1 : 0;
        }

        // The report is the output: only warnings and errors from the server's own logging, and none from EF Core
        // (a database it can't read is reported once, below, with what to do).
        builder.Configuration.AddInMemoryCollection(
        [
            new("Serilog:MinimumLevel:Default", "Warning"),
            new("Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore", "Fatal"),
        ]);
        try
        {
            // Build, never start: Kestrel's listeners are only bound by StartAsync.
            await using var app = builder.Build();
            // The checks a starting server makes (options validation): a configuration the server refuses, diagnose refuses too.
            app.Services.GetService<IStartupValidator>()?.Validate();
            return await RunAsync(app.Services, arguments, output, cancellationToken);
        }
        catch (Exception exception) when (exception is InvalidDataException or OptionsValidationException)
        {
            output.WriteLine($"diagnose: {exception.Message}");
            return 1;
        }
    }

    /// <summary>Diagnoses with the services of a built server (the command's own, or a running host's).</summary>
    public static async Task<int> RunAsync(IServiceProvider services, DiagnoseArguments arguments, TextWriter output, CancellationToken cancellationToken = default)
    {
        var certificates = new List<X509Certificate2>();
        try
        {
            certificates.AddRange(Read(arguments.CertificatePath));
            foreach (var path in arguments.ChainPaths)
            {
                certificates.AddRange(Read(path));
            }

            await using var scope = services.CreateAsyncScope();
            var diagnosis = await ActivatorUtilities.CreateInstance<CertificateDiagnosis>(scope.ServiceProvider)
                .RunAsync(certificates[0], certificates[1..], arguments.ClientId, cancellationToken);
            Print(output, certificates[0], arguments.ClientId, diagnosis);
            if (arguments.ClientId is { } clientId)
            {
                await PrintSightingsAsync(output, scope.ServiceProvider, clientId, certificates[0], cancellationToken);
            }

            PrintCoverage(output, scope.ServiceProvider.GetRequiredService<Certificates.Revocation.RevocationCoverage>().Gaps());
            return diagnosis.FirstFailure is null ? 0 : 2;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or CryptographicException or InvalidDataException)
        {
            output.WriteLine($"diagnose: {exception.Message}");
            return 1;
        }
        catch (DbException exception)
        {
            output.WriteLine($"diagnose: the client registrations could not be read from the database ({exception.Message}); "
                + "the server writes them there when it starts, so start it once with this configuration.");
            return 1;
        }
        finally
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }
        }
    }

    private static void Print(TextWriter output, X509Certificate2 certificate, string? clientId, Diagnosis diagnosis)
    {
        output.WriteLine($"Certificate  {certificate.Subject}");
        output.WriteLine($"  issuer     {certificate.Issuer}");
        output.WriteLine($"  serial     {certificate.SerialNumber}");
        output.WriteLine($"  valid      {certificate.NotBefore.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ} to {certificate.NotAfter.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ}");
        output.WriteLine($"  x5t#S256   {CertificateThumbprints.X5tS256(certificate)}");
        output.WriteLine($"Client       {clientId ?? "(none given)"}");
        output.WriteLine();
        foreach (var line in diagnosis.Lines)
        {
            var verdict = line.Verdict switch
            {
                CheckVerdict.Pass => "PASS",
                CheckVerdict.Fail => "FAIL",
                _ => "SKIP",
            };
            var reason = line.Reason is { } code ? code.Code() + ": " : string.Empty;
            output.WriteLine($"{verdict}  {line.Check,-12} {reason}{line.Detail}");
        }

        output.WriteLine();
        output.WriteLine(diagnosis.FirstFailure is { Reason: { } first }
            ? $"Result: FAIL {first.Code()} (the server refuses this certificate and logs this reason)"
            : "Result: PASS (the server accepts this certificate" + (clientId is null ? "; give --client-id to check a client's registration too)" : $" for client '{clientId}')"));
    }

    /// <summary>
    /// The certificates the client authenticated with, as any instance recorded them (tls_client_auth clients only;
    /// <see cref="Monitoring.ClientCertificateSightings"/>), so an operator sees whether the partner still uses the
    /// certificate being diagnosed and when the one it does use expires.
    /// </summary>
    private static async Task PrintSightingsAsync(TextWriter output, IServiceProvider services, string clientId, X509Certificate2 diagnosed, CancellationToken cancellationToken)
    {
        var sightings = (await services.GetRequiredService<Data.ClientCertificateSightingStore>().ListAsync(clientId, cancellationToken))
            .OrderByDescending(sighting => sighting.LastSeen)
            .ToList();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var diagnosedThumbprint = CertificateFacts.Sha256Thumbprint(diagnosed);
        output.WriteLine();
        if (sightings.Count == 0)
        {
            output.WriteLine($"Last seen    no certificate recorded for '{clientId}' (recorded when a tls_client_auth client authenticates)");
            return;
        }

        output.WriteLine($"Last seen    certificates '{clientId}' authenticated with (newest first)");
        foreach (var sighting in sightings)
        {
            var days = (sighting.NotAfter - now).TotalDays;
            var expiry = days >= 0 ? $"expires in {days:0.#} days" : $"EXPIRED {-days:0.#} days ago";
            var same = sighting.Thumbprint == diagnosedThumbprint ? " (this certificate)" : string.Empty;
            output.WriteLine($"  {sighting.Subject}  serial {sighting.SerialNumber}  x5t#S256 {sighting.Thumbprint}{same}");
            output.WriteLine($"    valid until {sighting.NotAfter.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} ({expiry}), last seen {sighting.LastSeen.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}");
        }
    }

    /// <summary>The configured CAs whose clients can't be checked, as the server says at start-up and in /health/ready.</summary>
    private static void PrintCoverage(TextWriter output, IReadOnlyList<Certificates.Revocation.RevocationCoverageGap> gaps)
    {
        if (gaps.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine("Revocation coverage: the configured mode and scope can't check the clients of these CAs");
        foreach (var gap in gaps)
        {
            output.WriteLine($"WARN  {gap.Ca} {gap.Problem}");
            output.WriteLine($"      fix: {gap.Fix}");
        }
    }

    /// <summary>Every certificate in a PEM file (leaf first, as a client's certificate file holds it), or the one in a DER file.</summary>
    private static X509Certificate2[] Read(string argument)
    {
        var path = Resolve(argument);
        if (!File.Exists(path))
        {
            throw new IOException($"'{argument}' does not exist.");
        }

        return [.. PemFiles.ReadPemOrDer(path)];
    }

    /// <summary>
    /// A relative path as the user meant it: <c>dotnet run --project</c> starts the server in its project folder,
    /// so a path typed in the shell is looked up from the shell's folder ($PWD) first.
    /// </summary>
    private static string Resolve(string path)
    {
        if (Path.IsPathRooted(path) || Environment.GetEnvironmentVariable("PWD") is not { Length: > 0 } shellFolder)
        {
            return path;
        }

        var fromShell = Path.Combine(shellFolder, path);
        return File.Exists(fromShell) ? fromShell : path;
    }
}
