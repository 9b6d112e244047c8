using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Pki;
using MtlsAuthServer.ServiceDefaults.Hosting;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Specs.Hosting;

/// <summary>What both hosts take from ServiceDefaults: relative paths, certificate files, listener URLs, TLS versions.</summary>
public sealed class HostingCoreSpecs : IDisposable
{
    private readonly TestPki _pki = TestPki.Create();

    [Fact]
    public void Relative_configured_paths_are_relative_to_the_content_root_not_the_working_directory()
    {
        var environment = new ContentRoot(_pki.Folder);

        Assert.Equal(Path.Combine(_pki.Folder, "certs", "server.crt"), ConfiguredPath.Resolve(environment, "certs/server.crt"));
        Assert.Equal(Path.Combine(Path.GetDirectoryName(_pki.Folder)!, "x.pem"), ConfiguredPath.Resolve(environment, "../x.pem"));
        Assert.Equal("/etc/mtls/server.crt", ConfiguredPath.Resolve(environment, "/etc/mtls/server.crt"));
        Assert.Null(ConfiguredPath.Resolve(environment, null));
    }

    [Fact]
    public void Bound_certificate_and_trust_sections_resolve_their_paths_once_for_every_reader()
    {
        using var services = Services(new()
        {
            ["ServerCertificate:Path"] = "server.crt",
            ["ServerCertificate:KeyPath"] = "server.key",
            ["TrustAnchors:Path"] = "trust-anchors.pem",
            ["TrustAnchors:IntermediatesPath"] = "intermediates.pem",
        }, collection =>
        {
            ServerCertificateOptions.Bind(collection);
            TrustAnchorOptions.Bind(collection);
        });

        var certificate = services.GetRequiredService<IOptionsMonitor<ServerCertificateOptions>>().CurrentValue;
        var anchors = services.GetRequiredService<IOptions<TrustAnchorOptions>>().Value;

        Assert.Equal(_pki.ServerCertificatePath, certificate.Path);
        Assert.Equal(_pki.ServerKeyPath, certificate.KeyPath);
        Assert.Equal(_pki.IntermediatesPath, anchors.IntermediatesPath);
        using var loaded = certificate.Load().Leaf;
        Assert.True(loaded.HasPrivateKey);
        Assert.Single(anchors.Load().Anchors);
    }

    [Fact]
    public void A_PEM_certificate_comes_with_the_intermediates_stored_after_it()
    {
        var (leaf, intermediates) = CertificateWithKey.Load(_pki.ServerCertificatePath, _pki.ServerKeyPath, null, "ServerCertificate");

        using (leaf)
        {
            Assert.Equal(_pki.Server.RawData, leaf.RawData);
            Assert.True(leaf.HasPrivateKey);
            Assert.Equal(_pki.Issuing.Certificate.RawData, Assert.Single(intermediates).RawData);
        }
    }

    [Theory]
    [InlineData("no-such.crt", "server.key", "ServerCertificate:Path: ")]
    [InlineData("server.crt", "no-such.key", "ServerCertificate:KeyPath: ")]
    [InlineData("server.crt", "trust-anchors.pem", "ServerCertificate: could not load")]
    public void A_certificate_or_key_that_cannot_be_loaded_is_refused_naming_the_key(string certificate, string key, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() =>
            CertificateWithKey.Load(Path.Combine(_pki.Folder, certificate), Path.Combine(_pki.Folder, key), null, "ServerCertificate"));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost:8443", false, "is not an absolute URL with a port")]
    [InlineData("ftp://127.0.0.1:21", false, "is not an absolute URL with a port")]
    [InlineData("http://127.0.0.1:8445", true, "is not an absolute https URL")]
    [InlineData("https://api.example.org:8445", false, "host 'api.example.org' must be localhost, an IP address or '*'")]
    public void A_listener_URL_that_names_no_bindable_address_is_refused_naming_the_key(string url, bool requireHttps, string problem)
    {
        var error = Assert.Throws<InvalidDataException>(() =>
            KestrelEndpoints.Listen(new KestrelServerOptions(), url, "Listener:Url", _ => { }, requireHttps));

        Assert.StartsWith("Listener:Url: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TLS_versions_below_1_2_refuse_the_start_naming_the_key()
    {
        using var services = Services(new() { ["Listener:Url"] = "https://127.0.0.1:0", ["Listener:TlsProtocols:0"] = "Tls11" },
            collection => TlsListenerOptions.Bind<ResourceApi.Hosting.ListenerOptions>(collection, "Listener"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ResourceApi.Hosting.ListenerOptions>>().Value);

        Assert.Contains("Listener:TlsProtocols: Tls11 refused", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _pki.Dispose();

    private ServiceProvider Services(Dictionary<string, string?> settings, Action<IServiceCollection> register)
    {
        var collection = new ServiceCollection();
        collection.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        collection.AddSingleton<IHostEnvironment>(new ContentRoot(_pki.Folder));
        register(collection);
        return collection.BuildServiceProvider();
    }

    private sealed class ContentRoot(string path) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";

        public string ApplicationName { get; set; } = "Specs";

        public string ContentRootPath { get; set; } = path;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
