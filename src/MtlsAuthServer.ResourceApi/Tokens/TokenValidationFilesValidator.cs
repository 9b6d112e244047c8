using Microsoft.Extensions.Options;
using MtlsAuthServer.ServiceDefaults.Hosting;

namespace MtlsAuthServer.ResourceApi.Tokens;

/// <summary>
/// The files the <c>TokenValidation</c> section names must load: the token server's trust anchors and, in
/// Introspection mode, this API's client certificate and key. The message names the key; the API loads them again,
/// once, for itself.
/// </summary>
public sealed class TokenValidationFilesValidator(IHostEnvironment environment, IOptions<TrustAnchorOptions> anchors) : IValidateOptions<TokenValidationOptions>
{
    public const string CertificateKey = $"{TokenValidationOptions.Section}:Introspection:Certificate";

    public ValidateOptionsResult Validate(string? name, TokenValidationOptions options)
    {
        var errors = new List<string>();
        try
        {
            // Without its own path it uses TrustAnchors, whose validation reports a bad bundle.
            if (options.TokenServerTrustAnchorsPath is not null)
            {
                TokenServerTrustFiles.Load(environment, options, anchors.Value);
            }
        }
        catch (InvalidDataException exception)
        {
            errors.Add(exception.Message);
        }
        catch (OptionsValidationException)
        {
            // TrustAnchors itself is invalid: reported by its own validation.
        }

        if (options.Mode == TokenValidationMode.Introspection && !string.IsNullOrWhiteSpace(options.Introspection.CertificatePath))
        {
            try
            {
                var (certificate, intermediates) = IntrospectionClientCertificate.LoadFiles(environment, options.Introspection);
                certificate.Dispose();
                foreach (var intermediate in intermediates)
                {
                    intermediate.Dispose();
                }
            }
            catch (InvalidDataException exception)
            {
                errors.Add(exception.Message);
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
