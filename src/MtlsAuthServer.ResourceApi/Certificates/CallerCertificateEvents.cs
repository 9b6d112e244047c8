using Microsoft.AspNetCore.Authentication.Certificate;

namespace MtlsAuthServer.ResourceApi.Certificates;

/// <summary>
/// The certificate handler's events: after its chain check, our rules (<see cref="CallerCertificateRules.AfterChain"/>);
/// after any refusal, the precise reason in place of the handler's generic message. Nothing is logged here: the
/// token check logs the request's one reason (event 5001), since only it knows the client and the path.
/// </summary>
public sealed class CallerCertificateEvents(CallerCertificateRules rules) : CertificateAuthenticationEvents
{
    public override Task CertificateValidated(CertificateValidatedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (rules.AfterChain(context.ClientCertificate) is { } rejection)
        {
            context.Fail(rejection);
        }
        else
        {
            context.Success();
        }

        return Task.CompletedTask;
    }

    public override Task AuthenticationFailed(CertificateAuthenticationFailedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Fail(rules.Classify(context.HttpContext.Connection.ClientCertificate, context.Exception));
        return Task.CompletedTask;
    }
}
