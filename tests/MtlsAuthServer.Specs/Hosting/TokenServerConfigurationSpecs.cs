using Microsoft.Extensions.Options;
using MtlsAuthServer.Specs.Support;

namespace MtlsAuthServer.Specs.Hosting;

/// <summary>
/// A bad value in any section of the token server stops <c>builder.Build()</c> with one
/// <see cref="OptionsValidationException"/> whose message names the key: a value the binder cannot convert, one out
/// of range, a file that is missing or not what the key needs, a rule across sections. Nothing starts, nothing
/// listens, and the error never comes from deep inside OpenIddict.
/// </summary>
public sealed class TokenServerConfigurationSpecs(ConfigurationMaterial material) : IClassFixture<ConfigurationMaterial>
{
    public static TheoryData<string, string, string> BadValues => new()
    {
        // key, value, the key the message must name
        { "Tokens:AccessTokenLifetime", "ten minutes", "Tokens:AccessTokenLifetime" },
        { "Tokens:AccessTokenLifetime", "00:00:01", "Tokens:AccessTokenLifetime" },
        { "Tokens:Storage", "Memory", "Tokens:Storage" },
        { "Tokens:Issuer", "auth.example.com", "Tokens:Issuer" },
        { "Tokens:SigningKey:Path", "/nonexistent/signing.key", "Tokens:SigningKey:Path" },
        { "Tokens:SigningKey:Next:Path", "{signing}", "Tokens:SigningKey:Next:SignsFrom" },
        { "Tokens:EncryptionKeyPath", "{not-base64}", "Tokens:EncryptionKeyPath" },
        { "Tokens:PruneInterval", "00:00:00", "Tokens:PruneInterval" },
        { "Listeners:MtlsPublicBaseUrl", "mtls.example.com", "Listeners:MtlsPublicBaseUrl" },
        { "Listeners:TlsProtocols:2", "Tls11", "Listeners:TlsProtocols" },
        { "TrustAnchors:Path", "/nonexistent/anchors.pem", "TrustAnchors:Path" },
        { "TrustAnchors:IntermediatesPath", "{not-base64}", "TrustAnchors:IntermediatesPath" },
        { "Profile", "Fapi3", "Profile" },
        { "ClientCertificates:ClockSkew", "02:00:00", "ClientCertificates:ClockSkew" },
        { "ClientCertificates:PresentedChains:CacheBytes", "-1", "ClientCertificates:PresentedChains:CacheBytes" },
        { "Revocation:FetchTimeout", "soon", "Revocation:FetchTimeout" },
        { "Monitoring:CrlWarningWindow", "60.00:00:00", "Monitoring:CrlWarningWindow" },
        { "Monitoring:RegisteredClientsRefreshInterval", "2.00:00:00", "Monitoring:RegisteredClientsRefreshInterval" },
        { "Monitoring:ReadinessReportEntries", "0", "Monitoring:ReadinessReportEntries" },
        { "Monitoring:ReadinessReportEntries", "many", "Monitoring:ReadinessReportEntries" },
        { "HotReload:PollInterval", "00:00:00.001", "HotReload:PollInterval" },
        { "HotReload:Enabled", "perhaps", "HotReload:Enabled" },
        { "Proxy:Mode", "Forwarded", "Proxy:TrustedProxies" },
        { "Database:Provider", "Oracle", "Database:Provider" },
        { "Database:CommandTimeout", "soon", "Database:CommandTimeout" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void A_bad_value_stops_the_build_with_one_options_error_naming_the_key(string key, string value, string named)
    {
        var overrides = new Dictionary<string, string?> { [key] = Resolve(value) };
        if (key == "Proxy:Mode")
        {
            // The proxy's URLs are given, so the missing trusted proxies are the one error.
            overrides["Tokens:Issuer"] = "https://auth.example.com/";
            overrides["Listeners:MtlsPublicBaseUrl"] = "https://mtls.auth.example.com/";
        }

        using var server = new UnstartedTokenServer(material, overrides);

        var exception = Assert.Throws<OptionsValidationException>(server.Build);

        Assert.Contains(named, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_values_in_several_sections_arrive_as_one_options_error_naming_every_key()
    {
        using var server = new UnstartedTokenServer(material, new Dictionary<string, string?>
        {
            ["Tokens:AccessTokenLifetime"] = "ten minutes",
            ["Revocation:FetchTimeout"] = "soon",
            ["HotReload:Enabled"] = "perhaps",
        });

        var exception = Assert.Throws<OptionsValidationException>(server.Build);

        Assert.Contains("Tokens:AccessTokenLifetime", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Revocation:FetchTimeout", exception.Message, StringComparison.Ordinal);
        Assert.Contains("HotReload:Enabled", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_valid_configuration_of_these_specs_builds()
    {
        using var server = new UnstartedTokenServer(material, new Dictionary<string, string?>());

        server.Build();
    }

    private string Resolve(string value) => value switch
    {
        "{signing}" => material.SigningKeyPath,
        "{not-base64}" => material.File("not-base64.txt", "this is neither base64 nor PEM"),
        _ => value,
    };
}
