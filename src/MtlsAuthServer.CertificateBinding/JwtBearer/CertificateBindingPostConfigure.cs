using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MtlsAuthServer.CertificateBinding.JwtBearer;

/// <summary>
/// Wraps the JwtBearer events of each scheme that requires bound tokens after the application configured them, so the
/// binding check runs first on every validated token, whatever the application's own handlers do (a handler that
/// calls <c>Success()</c> can't skip it). The scheme's settings are the <see cref="CertificateBindingOptions"/> of the
/// same name.
/// </summary>
internal sealed class CertificateBindingPostConfigure(IOptions<CertificateBoundSchemes> schemes, IOptionsMonitor<CertificateBindingOptions> bindings)
    : IPostConfigureOptions<JwtBearerOptions>
{
    public void PostConfigure(string? name, JwtBearerOptions options)
    {
        if (name is null || !schemes.Value.Names.Contains(name))
        {
            return;
        }

        var scheme = name;
        var binding = bindings.Get(scheme);

        // With EventsType the handler resolves its events from DI per request and never sees Options.Events:
        // the check would silently not run. Refuse to start instead of failing open.
        if (options.EventsType is not null)
        {
            throw new InvalidOperationException(
                $"JwtBearer scheme '{scheme}': RequireCertificateBoundTokens() can't be combined with JwtBearerOptions.EventsType; " +
                "set JwtBearerOptions.Events instead.");
        }

        var events = options.Events ?? new JwtBearerEvents();
        var tokenValidated = events.OnTokenValidated;
        var challenge = events.OnChallenge;

        events.OnTokenValidated = async context =>
        {
            var certificate = await context.HttpContext.Connection.GetClientCertificateAsync(context.HttpContext.RequestAborted);
            var confirmations = context.Principal?.FindAll("cnf").Select(claim => claim.Value).ToList() ?? [];
            var check = CertificateBindingVerifier.Verify(confirmations, certificate, binding.RequireBinding);
            if (check.IsBound && binding.CertificateScheme is { } certificateScheme)
            {
                // The scheme judges the very certificate the thumbprint matched: the connection's.
                var authenticated = await context.HttpContext.AuthenticateAsync(certificateScheme);
                if (!authenticated.Succeeded)
                {
                    check = check with
                    {
                        Failure = BindingFailure.CertificateRejected,
                        FailureDetail = $"scheme {certificateScheme} did not authenticate the certificate: {authenticated.Failure?.Message ?? "no result"}",
                    };
                }
            }

            if (!check.Succeeded)
            {
                context.HttpContext.RequestServices.GetRequiredService<CertificateBindingDiagnostics>()
                    .Rejected(check, scheme, context.Principal?.FindFirst("sub")?.Value, certificate?.Subject);
                context.Fail(new CertificateBindingException(check.Failure!.Value));
                return;
            }

            await tokenValidated(context);
        };

        events.OnChallenge = context =>
        {
            if (context.AuthenticateFailure is CertificateBindingException)
            {
                // RFC 6750 §3.1: the token is unusable here → invalid_token; the reason stays in the log.
                context.Error = "invalid_token";
                context.ErrorDescription = binding.ErrorDescription;
            }

            return challenge(context);
        };

        options.Events = events;
        if (binding.ResourceMetadata is { } metadata)
        {
            // JwtBearer writes its Challenge first and appends error parameters after a comma.
            options.Challenge = $"{JwtBearerDefaults.AuthenticationScheme} resource_metadata=\"{metadata.AbsoluteUri}\"";
        }
    }
}
