using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;
using MtlsAuthServer.ResourceApi;
using MtlsAuthServer.Specs.Support;

namespace MtlsAuthServer.Specs.Hosting;

/// <summary>
/// A bad value in any section of the resource API stops it before it runs with one
/// <see cref="OptionsValidationException"/> naming the key; nothing listens, nothing is fetched from the token server.
/// </summary>
public sealed class ResourceApiConfigurationSpecs(ConfigurationMaterial material) : IClassFixture<ConfigurationMaterial>
{
    public static TheoryData<string, string, string> BadValues => new()
    {
        { "TokenValidation:Issuer", "http://auth.example.com/", "TokenValidation:Issuer" },
        { "TokenValidation:ClockSkew", "00:10:00", "ClockSkew" },
        { "TokenValidation:TokenServerTrustAnchorsPath", "/nonexistent/anchors.pem", "TokenValidation:TokenServerTrustAnchorsPath" },
        { "TokenValidation:Mode", "Introspection", "TokenValidation:Introspection:CertificatePath" },
        { "TrustAnchors:Path", "/nonexistent/anchors.pem", "TrustAnchors:Path" },
        { "ResourceMetadata:Resource", "not a url", "ResourceMetadata:Resource" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void A_bad_value_stops_the_api_with_one_options_error_naming_the_key(string key, string value, string named)
    {
        using var api = new UnstartedResourceApi(material, new Dictionary<string, string?> { [key] = value });

        var exception = Assert.Throws<OptionsValidationException>(() => api.Services);

        Assert.Contains(named, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_valid_configuration_of_these_specs_builds()
    {
        using var api = new UnstartedResourceApi(material, new Dictionary<string, string?>());

        Assert.NotNull(api.Services);
    }

    /// <summary>The API's own program, built in memory and never started.</summary>
    private sealed class UnstartedResourceApi(ConfigurationMaterial material, IReadOnlyDictionary<string, string?> overrides) : WebApplicationFactory<ResourceApiProgram>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
            {
                ["Serilog:MinimumLevel:Default"] = "Fatal",
                ["Listener:Url"] = "https://127.0.0.1:9443/",
                ["ResourceMetadata:Resource"] = "https://127.0.0.1:9443/",
                ["ServerCertificate:Path"] = material.Pki.ServerCertificatePath,
                ["ServerCertificate:KeyPath"] = material.Pki.ServerKeyPath,
                ["TrustAnchors:Path"] = material.Pki.TrustAnchorsPath,
                ["TrustAnchors:IntermediatesPath"] = material.Pki.IntermediatesPath,
                ["TokenValidation:Issuer"] = "https://127.0.0.1:8444/",
                ["TokenValidation:Audience"] = "sample-resource-api",
            };
            foreach (var (key, value) in overrides)
            {
                values[key] = value;
            }

            builder.UseEnvironment("Testing");
            foreach (var (key, value) in values)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}
