using System.Data.Common;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Clients;

namespace MtlsAuthServer.Registration;

/// <summary>
/// <c>MtlsAuthServer clients add|list|show|disable|rotate-cert</c>: client registration for operators without HTTP
/// tooling, over the same service (and so the same rules, audit events and metrics) as the registration endpoint. Builds
/// the server's services from the same configuration (nothing listens) and writes to its database.
/// </summary>
public static class ClientsCommand
{
    public const string Verb = "clients";

    private const string Via = "cli";

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Verb;

    public static async Task<int> RunAsync(WebApplicationBuilder builder, string[] args, TextWriter? output = null, CancellationToken cancellationToken = default)
    {
        output ??= Console.Out;
        if (!ClientsArguments.TryParse(args.AsSpan(1), out var arguments, out var error))
        {
            output.WriteLine(error.Length > 0 ? $"clients: {error}\n{ClientsArguments.Usage}" : ClientsArguments.Usage);
            return error.Length > 0 ? 1 : 0;
        }

        builder.Configuration.AddInMemoryCollection(
        [
            new("Serilog:MinimumLevel:Default", "Warning"),
            new("Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore", "Fatal"),
            new("Serilog:MinimumLevel:Override:MtlsAuthServer.Audit", "Information"), // the change itself is an audit event
        ]);
        try
        {
            await using var app = builder.Build(); // never started: Kestrel's listeners are only bound by StartAsync
            app.Services.GetService<IStartupValidator>()?.Validate();
            await using var scope = app.Services.CreateAsyncScope();
            return await RunAsync(scope.ServiceProvider, arguments, output, cancellationToken);
        }
        catch (Exception exception) when (exception is InvalidDataException or OptionsValidationException or IOException or CryptographicException or UnauthorizedAccessException)
        {
            output.WriteLine($"clients: {exception.Message}");
            return 1;
        }
        catch (DbException exception)
        {
            output.WriteLine($"clients: the database could not be used ({exception.Message}); start the server once with this configuration so it creates the schema.");
            return 1;
        }
    }

    public static async Task<int> RunAsync(IServiceProvider services, ClientsArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var service = services.GetRequiredService<ClientRegistrationService>();
        var audit = services.GetRequiredService<RegistrationAudit>();
        switch (arguments.Action)
        {
            case "list":
                foreach (var record in await service.ListAsync(cancellationToken))
                {
                    var metadata = ClientMetadataDocument.Deserialize(record.ClientId, record.Metadata);
                    output.WriteLine($"{record.ClientId,-32} {(record.DisabledAt is null ? "active  " : "disabled")} {metadata.TokenEndpointAuthMethod,-28} scope '{metadata.Scope}'  updated {record.UpdatedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}");
                }

                return 0;
            case "add":
                var outcome = await service.RegisterAsync(Describe(arguments), "operator (clients add)", arguments.One("--client-id"), byOperator: true, cancellationToken);
                if (outcome is not { Client: { } added, RegistrationAccessToken: { } token })
                {
                    return Refused(output, audit, "register", arguments.One("--client-id"), outcome.Problem);
                }

                audit.Registered(added, Via);
                output.WriteLine($"client_id                 {added.ClientId}");
                output.WriteLine($"registration_access_token {token}   (shown once; with the client's certificate it manages the registration over RFC 7592)");
                output.WriteLine($"registration_client_uri   {RegistrationEndpoints.ClientUri(services.GetRequiredService<IOptions<Hosting.ListenerOptions>>().Value, added.ClientId)}");
                return 0;
        }

        var clientId = arguments.One("--client-id")!;
        if (await service.FindAsync(clientId, cancellationToken) is not { } client)
        {
            output.WriteLine($"clients: no client registered at run time has client_id '{clientId}' (configured clients are changed in configuration).");
            return 2;
        }

        switch (arguments.Action)
        {
            case "show":
                output.WriteLine($"{client.ClientId}: {(client.IsActive ? "active" : $"disabled {client.Record.DisabledAt!.Value.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}")}, registered by {client.Record.RegisteredBy}");
                output.WriteLine(client.Record.Metadata);
                audit.Read(Via);
                return 0;
            case "disable":
                audit.Disabled(client, Via, await service.DisableAsync(client, cancellationToken));
                output.WriteLine($"{client.ClientId} disabled.");
                return 0;
            default:
                var rotated = Rotate(client.Metadata, arguments);
                var update = await service.UpdateAsync(client, rotated, byOperator: true, cancellationToken);
                if (update.Client is not { } updated)
                {
                    return Refused(output, audit, "rotate-cert", clientId, update.Problem);
                }

                audit.Updated(updated, Via, "rotate-cert");
                output.WriteLine($"{clientId}: {updated.Metadata.Jwks?.Keys.Count ?? 0} registered certificate(s).");
                return 0;
        }
    }

    private static int Refused(TextWriter output, RegistrationAudit audit, string operation, string? clientId, string? problem)
    {
        audit.Refused(RegistrationRefusal.InvalidClientMetadata, operation, Via, clientId, "-", null, problem ?? "refused");
        output.WriteLine($"clients: refused: {problem}");
        return 2;
    }

    /// <summary>The registration the <c>add</c> options describe, in the metadata names the endpoint reads.</summary>
    private static ClientRegistration Describe(ClientsArguments arguments) => new()
    {
        TokenEndpointAuthMethod = arguments.One("--auth-method") ?? string.Empty,
        ClientName = arguments.One("--name"),
        Scope = arguments.One("--scope"),
        SubjectDn = arguments.One("--subject-dn"),
        SanDns = arguments.One("--san-dns"),
        SanUri = arguments.One("--san-uri"),
        SanIp = arguments.One("--san-ip"),
        SanEmail = arguments.One("--san-email"),
        Jwks = arguments.All("--cert").Count == 0 ? null : new JwksRegistration { Keys = [.. arguments.All("--cert").SelectMany(KeysOf)] },
    };

    /// <summary>The metadata with the <c>--add</c> certificates added and the <c>--remove</c> ones removed (matched by x5t#S256).</summary>
    private static ClientRegistration Rotate(ClientRegistration metadata, ClientsArguments arguments)
    {
        var removed = arguments.All("--remove").SelectMany(KeysOf).Select(key => key.X5c[0]).ToHashSet(StringComparer.Ordinal);
        var keys = (metadata.Jwks?.Keys ?? []).Where(key => key.X5c.Count == 0 || !removed.Contains(key.X5c[0])).ToList();
        keys.AddRange(arguments.All("--add").SelectMany(KeysOf).Where(key => !keys.Any(kept => kept.X5c.SequenceEqual(key.X5c))));
        metadata.Jwks = new JwksRegistration { Keys = keys };
        return metadata;
    }

    private static IEnumerable<JwkRegistration> KeysOf(string pemPath)
    {
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPemFile(pemPath);
        try
        {
            return bundle.Count == 0
                ? throw new InvalidDataException($"'{pemPath}' holds no PEM certificate.")
                : [.. bundle.Select(certificate => new JwkRegistration { X5c = [Convert.ToBase64String(certificate.RawData)] })];
        }
        finally
        {
            foreach (var certificate in bundle)
            {
                certificate.Dispose();
            }
        }
    }
}
