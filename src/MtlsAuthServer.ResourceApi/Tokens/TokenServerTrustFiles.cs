using MtlsAuthServer.Pki;
using MtlsAuthServer.ServiceDefaults.Hosting;

namespace MtlsAuthServer.ResourceApi.Tokens;

/// <summary>
/// The CAs the token server's TLS certificate must chain to: <c>TokenValidation:TokenServerTrustAnchorsPath</c> (with
/// the <c>TrustAnchors</c> intermediates), by default the callers' bundle itself. Paths as validated (content root).
/// </summary>
public static class TokenServerTrustFiles
{
    public static TrustBundle Load(IHostEnvironment environment, TokenValidationOptions validation, TrustAnchorOptions anchors) =>
        validation.TokenServerTrustAnchorsPath is { } ownAnchors
            ? TrustBundle.Load(ConfiguredPath.Resolve(environment, ownAnchors), $"{TokenValidationOptions.Section}:TokenServerTrustAnchorsPath",
                anchors.IntermediatesPath, $"{TrustAnchorOptions.Section}:IntermediatesPath")
            : anchors.Load();
}
