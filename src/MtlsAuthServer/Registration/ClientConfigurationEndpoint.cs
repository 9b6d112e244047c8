using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Hosting;

namespace MtlsAuthServer.Registration;

/// <summary>
/// RFC 7592 client configuration endpoint, <c>/register/{client_id}</c> (the <c>registration_client_uri</c>): read,
/// update (the whole metadata, e.g. the next certificate added, then the old one removed) and delete (disables the
/// client and revokes its stored tokens). Each request needs the client's registration access token (RFC 7592 §3) and
/// mTLS with a certificate that authenticates as the client now (<see cref="RegisteredCertificateCheck"/>). Clients
/// from configuration have no registration access token, so they can't be changed here. A client that does not exist
/// and a wrong token get the same 401 (RFC 7592 §2.1).
/// </summary>
public static class ClientConfigurationEndpoint
{
    public static async Task ReadAsync(HttpContext context, string clientId, ClientRegistrationService service, RegisteredCertificateCheck certificates,
        RegistrationAudit audit, IOptions<ListenerOptions> listeners)
    {
        if (await AuthenticateAsync(context, clientId, "read", service, certificates, audit) is not { } client)
        {
            return;
        }

        audit.Read(RegistrationEndpoints.Via);
        await RegistrationHttp.WriteClientAsync(context, StatusCodes.Status200OK, client, RegistrationEndpoints.ClientUri(listeners.Value, client.ClientId), null);
    }

    public static async Task UpdateAsync(HttpContext context, string clientId, ClientRegistrationService service, RegisteredCertificateCheck certificates,
        RegistrationAudit audit, IOptions<ListenerOptions> listeners)
    {
        const string Operation = "update";
        if (await AuthenticateAsync(context, clientId, Operation, service, certificates, audit) is not { } client)
        {
            return;
        }

        var sender = context.Connection.RemoteIpAddress?.ToString();
        var certificate = context.Connection.ClientCertificate;
        var (body, refusal, detail) = await RegistrationHttp.ReadJsonBodyAsync(context.Request, context.RequestAborted);
        if (refusal is { } refused)
        {
            audit.Refused(refused, Operation, RegistrationEndpoints.Via, clientId, sender, certificate, detail);
            await RegistrationHttp.WriteErrorAsync(context, refused == RegistrationRefusal.RegistrationBodyTooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest,
                "invalid_request", refused == RegistrationRefusal.RegistrationBodyTooLarge ? "The request body is too large." : "The request body must be JSON (application/json).");
            return;
        }

        if (!ClientMetadataDocument.TryRead(body, out var metadata, out var problem)
            || (metadata.ClientId.Length > 0 && metadata.ClientId != clientId && (problem = "client_id must be the client's own (RFC 7592 §2.2).") is not null))
        {
            await RegisterEndpoint.RefuseMetadataAsync(context, audit, sender, certificate, problem, Operation, clientId);
            return;
        }

        var outcome = await service.UpdateAsync(client, metadata, byOperator: false, context.RequestAborted);
        if (outcome.Client is not { } updated)
        {
            await RegisterEndpoint.RefuseMetadataAsync(context, audit, sender, certificate, outcome.Problem ?? "refused", Operation, clientId);
            return;
        }

        audit.Updated(updated, RegistrationEndpoints.Via);
        await RegistrationHttp.WriteClientAsync(context, StatusCodes.Status200OK, updated, RegistrationEndpoints.ClientUri(listeners.Value, clientId), null);
    }

    public static async Task DeleteAsync(HttpContext context, string clientId, ClientRegistrationService service, RegisteredCertificateCheck certificates, RegistrationAudit audit)
    {
        if (await AuthenticateAsync(context, clientId, "delete", service, certificates, audit) is not { } client)
        {
            return;
        }

        audit.Disabled(client, RegistrationEndpoints.Via, await service.DisableAsync(client, context.RequestAborted));
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        context.Response.Headers.CacheControl = "no-store";
    }

    private static async Task<ManagedClient?> AuthenticateAsync(HttpContext context, string clientId, string operation,
        ClientRegistrationService service, RegisteredCertificateCheck certificates, RegistrationAudit audit)
    {
        var cancellationToken = context.RequestAborted;
        var certificate = await context.Connection.GetClientCertificateAsync(cancellationToken);
        var token = RegistrationHttp.BearerToken(context.Request, out _);
        var client = token is null ? null : await service.FindManagedAsync(clientId, token, cancellationToken);
        if (client is null)
        {
            return await RefuseAsync(context, audit, RegistrationRefusal.RegistrationTokenInvalid, operation, clientId, certificate,
                token is null ? "no registration access token (Authorization: Bearer)" : "the registration access token is not this active client's");
        }

        if (certificate is null || !await certificates.AuthenticatesAsync(client, certificate, context.Features, cancellationToken))
        {
            return await RefuseAsync(context, audit, RegistrationRefusal.RegistrationCertificateMismatch, operation, clientId, certificate,
                certificate is null ? "no client certificate" : "the certificate does not authenticate as the client (event 4001 says why)");
        }

        return client;
    }

    private static async Task<ManagedClient?> RefuseAsync(HttpContext context, RegistrationAudit audit, RegistrationRefusal refusal, string operation,
        string clientId, X509Certificate2? certificate, string detail)
    {
        audit.Refused(refusal, operation, RegistrationEndpoints.Via, clientId, context.Connection.RemoteIpAddress?.ToString(), certificate, detail);
        await RegistrationHttp.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "invalid_token",
            "The registration access token and client certificate do not authorize access to this client.", bearerChallenge: true);
        return null;
    }
}
