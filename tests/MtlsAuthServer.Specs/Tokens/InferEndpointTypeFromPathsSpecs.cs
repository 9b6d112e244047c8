using CsCheck;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Hosting;
using MtlsAuthServer.Specs.Support;
using MtlsAuthServer.Tokens;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MtlsAuthServer.Specs.Tokens;

/// <summary>
/// OpenIddict's endpoint inference is replaced by a lookup in the guards' path table. For any request path it must
/// name the endpoint OpenIddict's own handlers (ResolveRequestUri, then InferEndpointType) name with the server's real
/// options — but for one class of paths where OpenIddict was wrong to: a decoded path holding a percent sequence
/// (<c>/tok%65n</c>, sent as <c>/tok%2565n</c>). OpenIddict re-encodes the path, keeps the sequence and decodes it a
/// second time, and so served the token endpoint to a request every guard in front of it took for no endpoint at all.
/// </summary>
public sealed class InferEndpointTypeFromPathsSpecs(ConfigurationMaterial material) : IClassFixture<ConfigurationMaterial>
{
    // What a path is made of: the served endpoints' segments in any case, near misses, and characters whose escaping
    // differs between the decoded path and the encoded URI. No "." or ".." segment: Kestrel removes them (and their
    // encoded forms) before any middleware sees the path.
    private static readonly Gen<string> Segment = Gen.OneOf(
        OneOf("token", "TOKEN", "Token", "introspect", "Introspect", "revoke", "REVOKE", ".well-known",
            "openid-configuration", "jwks", "oauth-authorization-server", "connect", "authorize", "userinfo",
            "tokens", "toke", "token.json", "revoke ", "tok%65n", "to%2Fken", "tokén", "\u212Aey", "register", "api", ""),
        Gen.String[Gen.Char["aktoenAKTOEN%2F ~-_+=;:@é\u0130\u212A"], 1, 8]);

    private static readonly Gen<string> RequestPath =
        from segments in Segment.Array[1, 4]
        from trailingSlashes in Gen.Frequency((6, Gen.Const(0)), (3, Gen.Const(1)), (1, Gen.Const(2)))
        let path = "/" + string.Join('/', segments) + new string('/', trailingSlashes)
        where !path.Split('/').Any(segment => segment is "." or "..")
        select path;

    [Fact]
    public void Every_path_is_the_endpoint_OpenIddicts_own_inference_names()
    {
        using var server = new UnstartedTokenServer(material, new Dictionary<string, string?>());
        var options = server.Services.GetRequiredService<IOptions<OpenIddictServerOptions>>().Value;
        var ours = new InferEndpointTypeFromPaths(server.Services.GetRequiredService<OAuthEndpointPaths>());

        // Every served path in every spelling OpenIddict accepts is in the property's reach; check those first.
        foreach (var path in new[] { "/token", "/TOKEN/", "/introspect", "/revoke/", "/.well-known/openid-configuration", "/.well-known/jwks", "/.well-known/oauth-authorization-server" })
        {
            Assert.Equal(OpenIddictsInference(options, path), OursOf(ours, options, path));
        }

        Assert.Equal(OpenIddictServerEndpointType.Token, OursOf(ours, options, "/Token/"));
        Assert.Equal(OpenIddictServerEndpointType.Unknown, OursOf(ours, options, "/token//"));

        RequestPath.Sample(path =>
        {
            if (path.Contains('%', StringComparison.Ordinal))
            {
                // No served path holds a '%': a path that does is no endpoint, whatever a second decoding would make of it.
                Assert.Equal(OpenIddictServerEndpointType.Unknown, OursOf(ours, options, path));
            }
            else
            {
                Assert.Equal(OpenIddictsInference(options, path), OursOf(ours, options, path));
            }
        }, iter: 3_000, seed: "4xV2lcWHW0a1");
    }

    [Theory]
    [InlineData("/tok%65n", OpenIddictServerEndpointType.Token)]
    [InlineData("/introspec%74", OpenIddictServerEndpointType.Introspection)]
    [InlineData("/revok%65/", OpenIddictServerEndpointType.Revocation)]
    [InlineData("/.well-known/jwk%73", OpenIddictServerEndpointType.JsonWebKeySet)]
    public void A_path_that_names_an_endpoint_only_after_a_second_decoding_is_no_endpoint(string decodedPath, OpenIddictServerEndpointType openIddictSaw)
    {
        using var server = new UnstartedTokenServer(material, new Dictionary<string, string?>());
        var options = server.Services.GetRequiredService<IOptions<OpenIddictServerOptions>>().Value;
        var paths = server.Services.GetRequiredService<OAuthEndpointPaths>();

        Assert.Equal(openIddictSaw, OpenIddictsInference(options, decodedPath)); // why the built-in handler is replaced
        Assert.Equal(OpenIddictServerEndpointType.Unknown, OursOf(new InferEndpointTypeFromPaths(paths), options, decodedPath));
        Assert.Null(paths.EndpointOf(new PathString(decodedPath)));
    }

    [Fact]
    public void An_absolute_endpoint_uri_fails_the_start_instead_of_being_matched_by_path_alone()
    {
        var options = new OpenIddictServerOptions();
        options.TokenEndpointUris.Add(new Uri("https://other.example/token"));

        var refusal = Assert.Throws<InvalidOperationException>(() => new OAuthEndpointPaths(Options.Create(options)));
        Assert.Contains("https://other.example/token", refusal.Message, StringComparison.Ordinal);
    }

    private static Gen<string> OneOf(params string[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    private static OpenIddictServerEndpointType OpenIddictsInference(OpenIddictServerOptions options, string path)
    {
        var context = RequestContext(options, path);
        new OpenIddictServerAspNetCoreHandlers.ResolveRequestUri().HandleAsync(context).AsTask().GetAwaiter().GetResult();
        new OpenIddictServerHandlers.InferEndpointType().HandleAsync(context).AsTask().GetAwaiter().GetResult();
        return context.EndpointType;
    }

    private static OpenIddictServerEndpointType OursOf(InferEndpointTypeFromPaths handler, OpenIddictServerOptions options, string path)
    {
        var context = RequestContext(options, path);
        handler.HandleAsync(context).AsTask().GetAwaiter().GetResult();
        return context.EndpointType;
    }

    private static ProcessRequestContext RequestContext(OpenIddictServerOptions options, string path)
    {
        var http = new DefaultHttpContext();
        http.Request.Scheme = "https";
        http.Request.Host = new HostString("127.0.0.1", 8443);
        http.Request.Path = new PathString(path);
        var transaction = new OpenIddictServerTransaction { Options = options, Logger = NullLogger.Instance };
        transaction.Properties[typeof(HttpRequest).FullName!] = new WeakReference<HttpRequest>(http.Request);
        // OpenIddict holds the request weakly (the host keeps it alive for the request's life); without a strong
        // reference a collection between here and ResolveRequestUri made the property fail ("cannot be resolved").
        transaction.Properties[nameof(HttpContext)] = http;
        return new ProcessRequestContext(transaction);
    }
}
