using Microsoft.AspNetCore;
using MtlsAuthServer.Diagnostics;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// Records an <c>invalid_client</c> answer that OpenIddict produced by itself (for instance a Basic
/// Authorization header when no secret-based method is enabled), so no client rejection goes unlogged.
/// Rejections decided by our own handlers or by the application manager are already recorded.
/// </summary>
public sealed class RecordProtocolRejection<TContext>(ClientAuthenticationContext request, ClientAuthenticationAudit audit)
    : IOpenIddictServerHandler<TContext>
    where TContext : BaseRequestContext
{
    public ValueTask HandleAsync(TContext context)
    {
        var response = context.Transaction.Response;
        if (response?.Error != Errors.InvalidClient || request.RejectionRecorded)
        {
            return ValueTask.CompletedTask;
        }

        // Such rejections can come before OpenIddict extracted the certificate: read it from the connection.
        var http = context.Transaction.GetHttpRequest()?.HttpContext;
        var certificate = context.Transaction.RemoteCertificate ?? http?.Connection.ClientCertificate;
        var oauth = context.Transaction.Request;
        var sentOtherCredentials = !string.IsNullOrEmpty(oauth?.ClientSecret) || !string.IsNullOrEmpty(oauth?.ClientAssertion)
            || http?.Request.Headers.Authorization.ToString().StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) == true;
        audit.Rejected(sentOtherCredentials ? RejectionReason.AuthenticationMethodNotAllowed : RejectionReason.ProtocolRule,
            oauth?.ClientId, EndpointNames.Of(context.EndpointType) ?? "-", certificate, $"OpenIddict: {response.ErrorDescription}");
        request.RejectionRecorded = true;

        return ValueTask.CompletedTask;
    }
}

public static class RecordProtocolRejection
{
    public static OpenIddictServerHandlerDescriptor DescriptorFor<TContext>()
        where TContext : BaseRequestContext =>
        OpenIddictServerHandlerDescriptor.CreateBuilder<TContext>()
            .UseScopedHandler<RecordProtocolRejection<TContext>>()
            .SetOrder(int.MinValue + 50_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();
}
