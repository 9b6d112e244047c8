using Microsoft.Extensions.Options;
using MtlsAuthServer.ResourceApi.Hosting;
using MtlsAuthServer.ResourceApi.Tokens;

namespace MtlsAuthServer.ResourceApi.Certificates;

/// <summary>
/// The two trust sets of the API, from the validated sections: the CAs of callers (<c>TrustAnchors</c>) and those the
/// token server's TLS certificate must chain to (<c>TokenValidation:TokenServerTrustAnchorsPath</c>, by default the
/// same bundle). Relative paths are relative to the content root.
/// </summary>
public static class TrustAnchorFiles
{
    public static TrustAnchors LoadCallers(IHostEnvironment environment, TrustAnchorOptions anchors) =>
        TrustAnchors.Load(ConfiguredPath.Resolve(environment, anchors.Path), Intermediates(environment, anchors), TrustAnchorOptions.Section);

    public static TrustAnchors LoadTokenServer(IHostEnvironment environment, TokenValidationOptions validation, TrustAnchorOptions anchors) =>
        validation.TokenServerTrustAnchorsPath is { } path
            ? TrustAnchors.Load(ConfiguredPath.Resolve(environment, path), Intermediates(environment, anchors), $"{TokenValidationOptions.Section}:TokenServerTrustAnchorsPath")
            : LoadCallers(environment, anchors);

    private static string? Intermediates(IHostEnvironment environment, TrustAnchorOptions anchors) =>
        anchors.IntermediatesPath is { Length: > 0 } intermediates ? ConfiguredPath.Resolve(environment, intermediates) : null;
}

/// <summary>The <c>TrustAnchors</c> bundles must load and pass <see cref="TrustAnchors.Load"/>'s checks, or the API does not start.</summary>
public sealed class TrustAnchorOptionsValidator(IHostEnvironment environment) : IValidateOptions<TrustAnchorOptions>
{
    public ValidateOptionsResult Validate(string? name, TrustAnchorOptions options)
    {
        try
        {
            TrustAnchorFiles.LoadCallers(environment, options);
            return ValidateOptionsResult.Success;
        }
        catch (InvalidDataException exception)
        {
            return ValidateOptionsResult.Fail(exception.Message);
        }
    }
}
