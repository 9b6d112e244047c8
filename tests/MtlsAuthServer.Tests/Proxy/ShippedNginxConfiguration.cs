using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Proxy;

/// <summary>
/// deploy/nginx/mtls-edge.conf run by a real nginx in front of a Forwarded-mode token server configured with the keys
/// its header comment names; only ports, paths and upstream hosts are adapted (plus, when a spec asks, its own edits).
/// </summary>
internal sealed class ShippedNginxEdge : IDisposable
{
    public ShippedNginxEdge(Action<TokenServerSettings> clients, Dictionary<string, string>? edits = null)
    {
        Host = TokenServerHost.Start(Pki, settings =>
        {
            clients(settings);
            // nginx connects from 127.0.0.1 here (no proxy_bind in the file).
            settings["Proxy:Mode"] = "Forwarded";
            settings["Proxy:HeaderFormat"] = "NginxEscapedPem";
            settings["Proxy:TrustedProxies:0"] = "127.0.0.1";
            settings["Tokens:Issuer"] = PublicEdge.AbsoluteUri;
            settings["Listeners:MtlsPublicBaseUrl"] = MtlsEdge.AbsoluteUri;
        });

        var configuration = ShippedNginxConfiguration.For(Pki, Host, MtlsEdge, PublicEdge);
        Nginx = new NginxProxy(Pki);
        Nginx.AddHttpConfiguration(edits is null ? configuration : ShippedNginxConfiguration.Adapt(configuration, edits), MtlsEdge.Port, PublicEdge.Port);
        Nginx.Start();
    }

    public TestPki Pki { get; } = TestPki.Create();

    public TokenServerHost Host { get; }

    public NginxProxy Nginx { get; }

    public Uri MtlsEdge { get; } = new($"https://127.0.0.1:{FreePort.Next()}/");

    public Uri PublicEdge { get; } = new($"https://127.0.0.1:{FreePort.Next()}/");

    public void Dispose()
    {
        Nginx.Dispose();
        Host.Dispose();
        Pki.Dispose();
    }
}

/// <summary>deploy/nginx/mtls-edge.conf as the specs run it: found above the test binaries, adapted to the test's ports and paths.</summary>
internal static class ShippedNginxConfiguration
{
    public static string Path => RepositoryFile.Find("deploy/nginx/mtls-edge.conf");

    /// <summary>The shipped file with its listen ports, upstreams and certificate paths pointed at the test's.</summary>
    public static string For(TestPki pki, TokenServerHost host, Uri mtlsEdge, Uri publicEdge) =>
        Adapt(File.ReadAllText(Path), new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["listen 9443 ssl;"] = $"listen 127.0.0.1:{mtlsEdge.Port} ssl;",
            ["listen 9444 ssl;"] = $"listen 127.0.0.1:{publicEdge.Port} ssl;",
            ["token-server-edge:8443"] = $"127.0.0.1:{host.MtlsUri.Port}",
            ["token-server-edge:8444"] = $"127.0.0.1:{host.PublicUri.Port}",
            ["/certs/server.crt"] = pki.ServerCertificatePath,
            ["/certs/server.key"] = pki.ServerKeyPath,
            ["/certs/trust-anchors.pem"] = pki.TrustAnchorsPath,
        });

    /// <summary>Replaces each marker, failing if one is missing: a change to the file's shape must update the specs.</summary>
    public static string Adapt(string text, Dictionary<string, string> replacements)
    {
        foreach (var (marker, value) in replacements)
        {
            Assert.True(text.Contains(marker, StringComparison.Ordinal), $"deploy/nginx/mtls-edge.conf no longer contains '{marker}'");
            text = text.Replace(marker, value, StringComparison.Ordinal);
        }

        return text;
    }
}
