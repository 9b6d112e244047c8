using Microsoft.Extensions.Options;

namespace MtlsAuthServer.ServiceDefaults.Hosting;

/// <summary>
/// The bundles <c>TrustAnchors:Path</c> and <c>IntermediatesPath</c> name must load and pass <see cref="Pki.TrustBundle"/>'s
/// checks (a root, CA certificates only, no private keys), or the host does not start; the message names the key.
/// The host loads its own copy once validated.
/// </summary>
public sealed class TrustAnchorOptionsValidator : IValidateOptions<TrustAnchorOptions>
{
    public ValidateOptionsResult Validate(string? name, TrustAnchorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            var bundle = options.Load();
            foreach (var certificate in bundle.Anchors.Concat(bundle.Intermediates))
            {
                certificate.Dispose();
            }

            return ValidateOptionsResult.Success;
        }
        catch (InvalidDataException exception)
        {
            return ValidateOptionsResult.Fail(exception.Message);
        }
    }
}
