using System.Security.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.ServiceDefaults.Hosting;

/// <summary>What every host's listener section says about TLS (the token server's <c>Listeners</c>, the resource API's <c>Listener</c>).</summary>
public abstract class TlsListenerOptions
{
    /// <summary>TLS versions offered: <c>Tls12</c> and/or <c>Tls13</c> only (<see cref="TlsPolicy"/>); anything else refuses the start.</summary>
    public List<SslProtocols> TlsProtocols { get; set; } = [SslProtocols.Tls12, SslProtocols.Tls13];

    /// <summary>
    /// False (default): the handshake asks for a client certificate but completes without one; the request then gets
    /// <c>401</c> with the reason (<c>no_client_certificate</c>) logged. True: the handshake itself is refused (the client
    /// sees a TLS alert and the application logs nothing).
    /// </summary>
    public bool RequireCertificateInHandshake { get; set; }

    /// <summary>Binds <paramref name="section"/> and refuses to start on a bad value (data annotations, TLS versions below 1.2).</summary>
    public static OptionsBuilder<T> Bind<T>(IServiceCollection services, string section)
        where T : TlsListenerOptions
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IValidateOptions<T>>(new TlsVersionsValidator<T>(section));
        return services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
    }

    /// <summary>RFC 9325 §4.1: nothing below TLS 1.2, whatever <c>{section}:TlsProtocols</c> lists.</summary>
    private sealed class TlsVersionsValidator<T>(string section) : IValidateOptions<T>
        where T : TlsListenerOptions
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var errors = TlsPolicy.ConfigurationErrors(options.TlsProtocols, $"{section}:TlsProtocols");
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
