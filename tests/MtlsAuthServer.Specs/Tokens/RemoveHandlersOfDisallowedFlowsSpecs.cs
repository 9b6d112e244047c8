using MtlsAuthServer.Tokens;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MtlsAuthServer.Specs.Tokens;

/// <summary>
/// OpenIddict's code, device and refresh-token sign-in handlers go only while no flow that needs them is allowed: a
/// grant type or an endpoint enabled later brings them back, so redeemed codes are never left unredeemed.
/// </summary>
public sealed class RemoveHandlersOfDisallowedFlowsSpecs
{
    private static readonly Type[] Removable = [typeof(OpenIddictServerHandlers.RedeemTokenEntry), typeof(OpenIddictServerHandlers.AttachAuthorization)];

    [Fact]
    public void A_client_credentials_server_loses_both_handlers_and_keeps_every_other()
    {
        var options = Options(GrantTypes.ClientCredentials);
        var others = options.Handlers.Where(handler => !Removable.Contains(handler.ServiceDescriptor.ServiceType)).ToList();

        new RemoveHandlersOfDisallowedFlows().PostConfigure(null, options);

        Assert.Equal(others, options.Handlers);
    }

    public static TheoryData<string> RedeemingGrantTypes => [.. RemoveHandlersOfDisallowedFlows.RedeemingGrantTypes];

    [Theory]
    [MemberData(nameof(RedeemingGrantTypes))]
    public void A_grant_type_whose_tokens_are_redeemed_keeps_both(string grantType) =>
        AssertKept(Options(GrantTypes.ClientCredentials, grantType));

    [Theory]
    [InlineData("authorization")]
    [InlineData("device")]
    [InlineData("end-user verification")]
    public void An_endpoint_of_those_flows_keeps_both(string endpoint)
    {
        var options = Options(GrantTypes.ClientCredentials);
        var uris = endpoint switch
        {
            "authorization" => options.AuthorizationEndpointUris,
            "device" => options.DeviceAuthorizationEndpointUris,
            _ => options.EndUserVerificationEndpointUris,
        };
        uris.Add(new Uri("connect/x", UriKind.Relative));

        AssertKept(options);
    }

    private static void AssertKept(OpenIddictServerOptions options)
    {
        var before = options.Handlers.ToList();
        new RemoveHandlersOfDisallowedFlows().PostConfigure(null, options);
        Assert.Equal(before, options.Handlers);
    }

    private static OpenIddictServerOptions Options(params string[] grantTypes)
    {
        var options = new OpenIddictServerOptions();
        options.Handlers.AddRange(OpenIddictServerHandlers.DefaultHandlers);
        foreach (var grantType in grantTypes)
        {
            options.GrantTypes.Add(grantType);
        }

        Assert.All(Removable, type => Assert.Contains(options.Handlers, handler => handler.ServiceDescriptor.ServiceType == type));
        return options;
    }
}
