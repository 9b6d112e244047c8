using Microsoft.Extensions.Options;
using MtlsAuthServer.Diagnostics;
using MtlsAuthServer.Hosting;

namespace MtlsAuthServer.Registration;

/// <summary>
/// <c>POST /register</c> (RFC 7591 §3): the caller is checked against the registration policy before its body is read,
/// then the metadata is read (<see cref="ClientMetadataDocument"/>) and registered (<see cref="ClientRegistrationService"/>).
/// Every refusal is a 4xx with the RFC 7591 / RFC 6750 error and a logged, counted reason.
/// </summary>
public static class RegisterEndpoint
{
    private const string Operation = "register";

    public static async Task HandleAsync(
        HttpContext context, RegistrationPolicy policy, ClientRegistrationService service, RegistrationAudit audit, IOptions<ListenerOptions> listeners)
    {
        var cancellationToken = context.RequestAborted;
        var certificate = await context.Connection.GetClientCertificateAsync(cancellationToken);
        var sender = context.Connection.RemoteIpAddress?.ToString();
        var token = RegistrationHttp.BearerToken(context.Request, out var malformedAuthorization);
        var refusal = malformedAuthorization
            ? (RegistrationRefusal.InitialAccessTokenInvalid, "the Authorization header is not one Bearer token")
            : await policy.RefusalOfAsync(token, certificate, context.Features, cancellationToken);
        if (refusal is var (reason, detail))
        {
            audit.Refused(reason, Operation, RegistrationEndpoints.Via, null, sender, certificate, detail);
            await RegistrationHttp.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "invalid_token",
                "An initial access token or a client certificate from a registration CA is required.", bearerChallenge: token is not null || malformedAuthorization);
            return;
        }

        var (body, bodyRefusal, bodyDetail) = await RegistrationHttp.ReadJsonBodyAsync(context.Request, cancellationToken);
        if (bodyRefusal is { } refused)
        {
            audit.Refused(refused, Operation, RegistrationEndpoints.Via, null, sender, certificate, bodyDetail);
            await RegistrationHttp.WriteErrorAsync(context, refused == RegistrationRefusal.RegistrationBodyTooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest,
                "invalid_request", refused == RegistrationRefusal.RegistrationBodyTooLarge ? "The request body is too large." : "The request body must be JSON (application/json).");
            return;
        }

        if (!ClientMetadataDocument.TryRead(body, out var metadata, out var problem))
        {
            await RefuseMetadataAsync(context, audit, sender, certificate, problem);
            return;
        }

        var registeredBy = token is not null
            ? $"initial access token {ClientRegistrationService.Hash(token)[..8]}"
            : $"registration CA certificate {CertificateFacts.Of(certificate).Thumbprint}";
        var outcome = await service.RegisterAsync(metadata, registeredBy, clientId: null, byOperator: false, cancellationToken);
        if (outcome is not { Client: { } client, RegistrationAccessToken: { } registrationAccessToken })
        {
            await RefuseMetadataAsync(context, audit, sender, certificate, outcome.Problem ?? "refused");
            return;
        }

        audit.Registered(client, RegistrationEndpoints.Via);
        await RegistrationHttp.WriteClientAsync(context, StatusCodes.Status201Created, client,
            RegistrationEndpoints.ClientUri(listeners.Value, client.ClientId), registrationAccessToken);
    }

    /// <summary>RFC 7591 §3.2.2 <c>invalid_client_metadata</c>: the problem is the client's own metadata, so it may read it.</summary>
    internal static Task RefuseMetadataAsync(HttpContext context, RegistrationAudit audit, string? sender, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate,
        string problem, string operation = Operation, string? clientId = null)
    {
        audit.Refused(RegistrationRefusal.InvalidClientMetadata, operation, RegistrationEndpoints.Via, clientId, sender, certificate, problem);
        return RegistrationHttp.WriteErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_client_metadata", ServiceDefaults.Logging.LogValue.Clean(problem, 300));
    }
}
