using Microsoft.Extensions.Options;

namespace MtlsAuthServer.Certificates;

/// <summary>
/// The bundles <c>TrustAnchors:Path</c> and <c>IntermediatesPath</c> name must load and pass
/// <see cref="TrustMaterial.Load"/>'s checks (a root, CA certificates only, no private keys), or the server does not
/// start; the message names the key.
/// </summary>
public sealed class TrustAnchorOptionsValidator : IValidateOptions<TrustAnchorOptions>
{
    public ValidateOptionsResult Validate(string? name, TrustAnchorOptions options)
    {
        try
        {
            var material = TrustMaterial.Load(options);
            // Only checked here; the server loads its own copy (TrustMaterialProvider).
            foreach (var certificate in material.Anchors.Concat(material.Intermediates))
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
