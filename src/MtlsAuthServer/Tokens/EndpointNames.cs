using OpenIddict.Server;

namespace MtlsAuthServer.Tokens;

/// <summary>Short names of the client-authenticated endpoints, used in logs and metric tags.</summary>
public static class EndpointNames
{
    public const string Token = "token";
    public const string Introspection = "introspection";
    public const string Revocation = "revocation";

    public static string? Of(OpenIddictServerEndpointType type) => type switch
    {
        OpenIddictServerEndpointType.Token => Token,
        OpenIddictServerEndpointType.Introspection => Introspection,
        OpenIddictServerEndpointType.Revocation => Revocation,
        _ => null,
    };
}
